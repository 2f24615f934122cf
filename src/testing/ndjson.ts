import { expect } from "vitest";

/**
 * The lines of a batch answered as NDJSON (src/platform/http/progress-stream.ts), parsed, after
 * checking it was answered that way: 200 and `application/x-ndjson`.
 */
export function ndjsonLines(response: {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: each line's shape is the test's to check
}): any[] {
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers["content-type"]).toBe("application/x-ndjson; charset=utf-8");
  return response.body
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));
}
