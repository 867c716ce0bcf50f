export const cleaningKeys = {
  all: ['cleaning'] as const,
  /** Prefix of everything cleaning-related of one dataset, for invalidation on a new head. */
  dataset: (id: string) => [...cleaningKeys.all, id] as const,
  suggestions: (id: string) => [...cleaningKeys.dataset(id), 'suggestions'] as const,
  history: (id: string) => [...cleaningKeys.dataset(id), 'history'] as const,
  recipe: (id: string) => [...cleaningKeys.dataset(id), 'recipe'] as const,
};
