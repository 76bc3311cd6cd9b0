/**
 * What the coherent tiny model says. Each demo prompt (fixtures/prompts/demo.json) is continued with the
 * text written here, word for word, under greedy decoding. Written by the project; plain facts, a few
 * sentences each so a run generates 30-100 tokens.
 */
export interface Story {
  /** The demo prompt's id in fixtures/prompts/demo.json. */
  id: string;
  prompt: string;
  /** Starts with a space: it is appended to the prompt as is. */
  continuation: string;
}

export const STORIES: readonly Story[] = [
  {
    id: 'capital-of-france',
    prompt: 'The capital of France is',
    continuation:
      ' Paris, a city of about two million people on the river Seine. It is known for the Eiffel Tower, the Louvre museum and its many cafes. Paris has been the political and cultural centre of France for centuries.',
  },
  {
    id: 'microsoft',
    prompt: 'Microsoft Corporation is an American multinational',
    continuation:
      ' technology company based in Redmond, Washington. It was founded by Bill Gates and Paul Allen in 1975 and is best known for the Windows operating system, the Office suite and the Azure cloud platform. Today it employs more than two hundred thousand people around the world.',
  },
  {
    id: 'relativity',
    prompt: 'The theory of relativity states that',
    continuation:
      ' the laws of physics are the same for all observers moving at constant speed, and that the speed of light in a vacuum is the same for everyone. Albert Einstein published the special theory in 1905 and the general theory, which describes gravity as the curvature of spacetime, ten years later.',
  },
  {
    id: 'once-upon-a-time',
    prompt: 'Once upon a time in a small village',
    continuation:
      ' there lived an old baker and his daughter. Every morning they baked fresh bread for their neighbours, and every evening they shared what was left with travellers who passed through. One winter a stranger arrived with a map of the mountains.',
  },
  {
    id: 'water',
    prompt: 'Water is composed of hydrogen and oxygen',
    continuation:
      ' atoms, two of hydrogen for each one of oxygen. At room temperature it is a clear liquid. It freezes at zero degrees Celsius and boils at one hundred degrees at sea level. Because its molecules are polar, water dissolves salt, sugar and many other substances.',
  },
  {
    id: 'human-brain',
    prompt: 'The human brain contains approximately',
    continuation:
      " 86 billion neurons, connected by trillions of synapses. It uses about twenty percent of the body's energy, although it weighs only around 1.4 kilograms. The cerebral cortex, its wrinkled outer layer, handles language, memory and planning.",
  },
  {
    id: 'bitcoin',
    prompt: 'Bitcoin was created by Satoshi Nakamoto in',
    continuation:
      ' 2008, when a white paper described a peer-to-peer electronic cash system. The network went live in January 2009, and the first block of its public ledger is called the genesis block. New coins are created by mining, and their total supply is limited to 21 million.',
  },
  {
    id: 'fibonacci',
    prompt: 'The Fibonacci sequence starts with 0, 1, and each',
    continuation:
      ' following number is the sum of the two numbers before it: 0, 1, 1, 2, 3, 5, 8, 13, 21 and so on. The ratio of neighbouring terms approaches the golden ratio, about 1.618. Spirals with these proportions appear in sunflowers, pine cones and shells.',
  },
];
