// Two articles written for the second look's tests (tests/second-look.test.ts, and the image's
// in tests/dockerfile.test.ts), as feed items with HTML descriptions. What the shipped model
// (libs/classifier/encoder/second-look.json) makes of them is described in second-look.test.ts.

/** The rules see the police operation and the online market and only half-see the NPS, which the look adds. */
export const RING_ITEM = {
  link: '/news/2026/messenger-ring.html',
  title: 'Designer stimulants: police break up a mephedrone ring that sold through a messenger',
  description:
    '<p>Officers detained four suspects who sold mephedrone and other synthetic stimulants through a messenger channel. Investigators seized 2 kg of powder and cash; ' +
    'the packages were left in hidden spots for buyers who paid in cryptocurrency.</p>',
};

/** No term of any topic the rules know; the look finds access to controlled medicines. */
export const PAIN_ITEM = {
  link: '/news/2026/morphine-wait.html',
  title: 'Patients in pain wait weeks for morphine',
  description:
    '<p>Doctors say patients with late-stage cancer wait up to a month for morphine, because pharmacies need a special licence and a stack of forms for every prescription of an opioid painkiller. ' +
    'Most clinics outside the capital hold no stock at all. The health ministry promised to simplify the rules so that patients in pain get the medicine they need.</p>',
};

/** An item's text as the collector stores it: its description without the markup. */
export const plainText = (item: { description: string }): string => item.description.replace(/<[^>]+>/g, '');
