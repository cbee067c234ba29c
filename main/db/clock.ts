/** Where repositories get "now" from; tests pass a fixed clock so timestamps and orderings are deterministic. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
