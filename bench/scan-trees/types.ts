/** One generated file: its path relative to the tree's root and its content. */
export type TreeFile = [path: string, content: string];
