export {
  startDemoFeedServer,
  type DemoBreakage,
  type DemoFeedServer,
  type DemoFeedServerOptions,
  type DemoRequestRecord,
  type NewDemoItem,
} from './demo-feed-server';
export { demoSources, SCO_ARTICLE_SELECTORS, SCO_LISTING_SELECTORS, type DemoSourceConfig } from './demo-sources';
export { DEMO_SITE, DEMO_SOURCE_IDS, type DemoCharset, type DemoFormat, type DemoLanguage, type DemoSiteEntry, type DemoSourceId } from './demo-site-map';
export {
  loadSampleAnnouncements,
  SAMPLE_REFERENCE_DATE,
  type PublishedAnnouncement,
  type SampleAnnouncement,
} from './sample-announcements';
