/** The evaluations' report: macro- and micro-F1 per language group, then each topic's precision, recall and support. */
import type { GroupedEvaluation } from '../eval/corpus-evaluation';
import { LANGUAGE_GROUPS } from '../eval/labelled-corpus';

const pct = (x: number): string => x.toFixed(3);

export function evaluationTable(name: string, grouped: GroupedEvaluation): string[] {
  const out: string[] = [];
  const groups = ['all', ...LANGUAGE_GROUPS] as const;
  out.push(`== ${name}: ${groups.map((g) => `${g} ${grouped[g].articles}`).join(', ')} articles`);
  out.push(`${'macro F1'.padEnd(30)} ${groups.map((g) => `${g.padStart(5)} ${pct(grouped[g].macroF1)}`).join('  ')}`);
  out.push(`${'micro F1'.padEnd(30)} ${groups.map((g) => `${g.padStart(5)} ${pct(grouped[g].microF1)}`).join('  ')}`);
  out.push('');
  out.push(`${'topic (precision / recall / support)'.padEnd(38)}${groups.map((g) => g.padEnd(21)).join('')}`);
  for (const topic of grouped.all.topics) {
    const cells = groups.map((g) => {
      const t = grouped[g].topics.find((x) => x.id === topic.id)!;
      return (t.support + t.fp === 0 ? '-' : `${pct(t.precision)} ${pct(t.recall)} ${String(t.support).padStart(3)}`).padEnd(21);
    });
    out.push(`${topic.id.padEnd(38)}${cells.join('')}`);
  }
  return out;
}
