import { Module } from '@nestjs/common';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { loadClassifier, loadDefaultClassifier } from '@monitor/classifier';
import { ClassifierStage, TOPIC_CLASSIFIER } from './classifier-stage';

/** The classifier itself, built once per process from the shipped taxonomy or TAXONOMY_FILE. */
@Module({
  providers: [
    {
      provide: TOPIC_CLASSIFIER,
      inject: [MONITOR_CONFIG],
      useFactory: (config: MonitorConfig) => (config.TAXONOMY_FILE ? loadClassifier(config.TAXONOMY_FILE) : loadDefaultClassifier()),
    },
  ],
  exports: [TOPIC_CLASSIFIER],
})
export class TopicClassifierModule {}

@Module({ imports: [TopicClassifierModule], controllers: [ClassifierStage], exports: [TopicClassifierModule] })
export class ClassifierStageModule {}
