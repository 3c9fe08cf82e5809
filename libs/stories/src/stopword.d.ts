// The package ships no types; this is the part of its API libs/stories uses.
declare module 'stopword' {
  export const eng: string[];
  export const rus: string[];
}
