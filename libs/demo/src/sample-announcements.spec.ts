import { TOPIC_IDS, isTopicId } from '@monitor/contracts';
import { loadSampleAnnouncements, SAMPLE_REFERENCE_DATE } from './sample-announcements';

describe('sample announcements', () => {
  const samples = loadSampleAnnouncements();

  it('use only real topic ids', () => {
    for (const sample of samples) for (const topic of sample.topics) expect([sample.id, isTopicId(topic)]).toEqual([sample.id, true]);
  });

  it('give each of the topics at least two samples', () => {
    for (const topic of TOPIC_IDS) {
      expect([topic, samples.filter((sample) => sample.topics.includes(topic)).length >= 2]).toEqual([topic, true]);
    }
  });

  it('hold at least six samples in each of English, Russian and Chinese, on and off the topics', () => {
    for (const language of ['en', 'ru', 'zh'] as const) {
      const inLanguage = samples.filter((sample) => sample.language === language);
      expect(inLanguage.length).toBeGreaterThanOrEqual(6);
      expect(inLanguage.some((sample) => sample.topics.length === 0)).toBe(true);
    }
  });

  it('are articles of 800 to 2,500 characters', () => {
    for (const sample of samples) {
      const length = [...sample.text].length;
      expect([sample.id, length >= 800 && length <= 2500]).toEqual([sample.id, true]);
    }
  });

  it('mention Afghanistan in at least three on-topic English samples (the README searches for it)', () => {
    const hits = samples.filter((sample) => sample.language === 'en' && sample.topics.length > 0 && sample.text.includes('Afghanistan'));
    expect(hits.length).toBeGreaterThanOrEqual(3);
  });

  it('include a headline with markup to be shown as text', () => {
    expect(samples.some((sample) => sample.title.includes('<script>alert(1)</script>'))).toBe(true);
  });

  it('have unique ids and unique page numbers', () => {
    expect(new Set(samples.map((sample) => sample.id)).size).toBe(samples.length);
    expect(new Set(samples.map((sample) => sample.number)).size).toBe(samples.length);
  });

  it('spread over the month before the reference date, and shift to a given now', () => {
    const reference = SAMPLE_REFERENCE_DATE.getTime();
    for (const sample of samples) {
      const age = reference - Date.parse(sample.publishedAt);
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThanOrEqual(31 * 24 * 3600 * 1000);
    }
    const now = new Date('2030-06-01T00:00:00Z');
    const shifted = loadSampleAnnouncements({ now });
    const offset = now.getTime() - reference;
    shifted.forEach((sample, index) => expect(Date.parse(sample.publishedAt)).toBe(Date.parse(samples[index].publishedAt) + offset));
  });

  it('return copies, so one caller cannot change another caller’s texts', () => {
    const mine = loadSampleAnnouncements();
    mine[0].topics.push('narcoterrorism');
    mine[0].paragraphs.length = 0;
    const theirs = loadSampleAnnouncements();
    expect(theirs[0].paragraphs.length).toBeGreaterThan(0);
    expect(theirs[0].topics).toEqual(samples[0].topics);
  });
});
