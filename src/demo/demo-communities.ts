/** One fake community the demo simulator serves under `/<slug>/`. */
export interface DemoCommunity {
  /** URL-safe identifier: lower-case letters, digits and dashes. */
  readonly slug: string;
  readonly name: string;
  readonly description: string;
}

/** The demo fleet: research and education hubs plus two forums, all served by one simulator. */
export const DEMO_COMMUNITIES = [
  {
    slug: 'pangeo',
    name: 'Pangeo Hub',
    description: 'Big-data geoscience notebooks on shared cloud compute.',
  },
  {
    slug: 'climate-lab',
    name: 'Climate Lab Hub',
    description: 'A university climate modelling group running teaching and research notebooks.',
  },
  {
    slug: 'openscapes',
    name: 'Openscapes Hub',
    description: 'Champions cohorts learning open, reproducible science with NASA Earthdata.',
  },
  {
    slug: 'neuro-hub',
    name: 'NeuroHub',
    description: 'Neuroscience imaging analysis for a multi-lab consortium.',
  },
  {
    slug: 'data8',
    name: 'Data 8 Classroom Hub',
    description: 'An introductory data-science course with a thousand students a term.',
  },
  {
    slug: 'ocean-obs',
    name: 'Ocean Observatories Hub',
    description: 'Analysis of moored-sensor and glider data from coastal observatories.',
  },
  {
    slug: 'genomics-school',
    name: 'Genomics Summer School',
    description: 'A two-week bioinformatics workshop with GPU-backed notebooks.',
  },
  {
    slug: 'astro-teach',
    name: 'Astronomy Teaching Hub',
    description: 'Undergraduate astronomy labs working with survey telescope data.',
  },
  {
    slug: 'hub-forum',
    name: 'Hub Users Forum',
    description: 'Discussion forum where hub users ask for help.',
  },
  {
    slug: 'research-forum',
    name: 'Research Software Forum',
    description: 'Forum for research software engineers sharing practices and tools.',
  },
] as const satisfies readonly DemoCommunity[];
