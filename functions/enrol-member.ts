// Placeholder while the function is being written; replaced in the next commits.
export const handler = async (): Promise<never> => {
  throw new Error('not implemented yet');
};
