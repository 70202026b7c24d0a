/** Where raw text comes from, independent of Node or the browser (readers never touch a file system). */

export interface RawSource {
  /** The file path or name, used in every error message and malformed-row sample. */
  readonly name: string;
  chunks(): AsyncIterable<string>;
}

/** In-memory text, cut into chunks of `chunkSize` characters (tests use small sizes to hit every boundary). */
export function stringSource(name: string, text: string, chunkSize = 1 << 16): RawSource {
  return {
    name,
    async *chunks() {
      for (let start = 0; start < text.length; start += chunkSize) yield text.slice(start, start + chunkSize);
    },
  };
}

/** A browser File or Blob, decoded as UTF-8 while it streams (a worker can read a multi-GB file this way). */
export function blobSource(name: string, blob: Blob): RawSource {
  return {
    name,
    async *chunks() {
      const reader = blob.stream().getReader();
      const decoder = new TextDecoder('utf-8');
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          yield decoder.decode(value, { stream: true });
        }
        const rest = decoder.decode();
        if (rest.length > 0) yield rest;
      } finally {
        reader.releaseLock();
      }
    },
  };
}
