import { h } from 'preact';
import htm from 'htm';

const html = htm.bind(h);

// Hand-drawn SVG on purpose: at most eleven lines over a few weeks of days. A chart library would
// weigh more than the rest of the page together, and this one needs only lines, dots and clicks.
export const TOPIC_COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7ea4', '#bc4c00', '#57606a', '#116329', '#6639ba'];

const W = 760;
const H = 240;
const PAD = { left: 34, right: 12, top: 12, bottom: 26 };

export function TopicChart({ timeline, labels, hidden, onPick }) {
  if (!timeline) return html`<p class="muted">Loading the timeline…</p>`;
  const days = timeline.days;
  const series = timeline.topics.map((t, i) => ({ ...t, colour: TOPIC_COLOURS[i % TOPIC_COLOURS.length] }));
  const shown = series.filter((s) => s.total > 0 && !hidden.has(s.topic));
  const max = Math.max(1, ...shown.flatMap((s) => s.counts));
  const x = (i) => PAD.left + (days.length <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (days.length - 1));
  const y = (v) => H - PAD.bottom - (v * (H - PAD.top - PAD.bottom)) / max;
  const ticks = [0, Math.round(max / 2), max].filter((v, i, all) => all.indexOf(v) === i);
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  return html`
    <div class="chart">
      <svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Articles per topic per day">
        ${ticks.map((v) => html`<g class="grid"><line x1=${PAD.left} x2=${W - PAD.right} y1=${y(v)} y2=${y(v)} /><text x=${PAD.left - 6} y=${y(v) + 4} text-anchor="end">${v}</text></g>`)}
        ${days.map((d, i) => ((i % labelEvery === 0 && days.length - 1 - i >= labelEvery / 2) || i === days.length - 1 ? html`<text class="axis" x=${x(i)} y=${H - 8} text-anchor="middle">${d.slice(5)}</text>` : null))}
        ${shown.map(
          (s) => html`<g class="series" data-topic=${s.topic}>
            <polyline fill="none" stroke=${s.colour} stroke-width="2" points=${s.counts.map((c, i) => `${x(i)},${y(c)}`).join(' ')} />
            ${s.spikes.map((spike) => {
              const i = days.indexOf(spike.day);
              return html`<circle class="spike" data-topic=${s.topic} data-day=${spike.day} cx=${x(i)} cy=${y(spike.count)} r="6" fill="#fff" stroke="#d1242f" stroke-width="3"
                onClick=${() => onPick(s.topic, spike.day)}><title>${`Spike: ${labels[s.topic] ?? s.topic}, ${spike.day}: ${spike.count} articles (baseline ${spike.mean}, threshold ${spike.threshold})`}</title></circle>`;
            })}
          </g>`,
        )}
      </svg>
      <ul class="legend">
        ${series.map(
          (s) => html`<li>
            <button type="button" class=${`topic-pick${s.total === 0 ? ' empty' : ''}`} data-topic=${s.topic} onClick=${() => onPick(s.topic)} title="Search the articles of this topic">
              <span class="swatch" style=${{ background: s.colour }}></span>${labels[s.topic] ?? s.topic} <span class="count">${s.total}</span>${s.spikes.length ? html` <span class="spike-badge">${s.spikes.length} spike${s.spikes.length > 1 ? 's' : ''}</span>` : null}
            </button>
          </li>`,
        )}
      </ul>
    </div>`;
}
