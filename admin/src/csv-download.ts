import { endpoints, type EndpointQuery } from '../../shared/contract/index.js';
import { saveFile } from '../../shared/ui/core/save-file.js';
import { adminClient } from './session.js';

type CsvQuery = NonNullable<EndpointQuery<typeof endpoints.adminUsageCsv>>;

/**
 * Downloads the usage CSV through the typed client (auth header, retries, typed errors). The client has no use for
 * a text body, so a wrapping `fetch` keeps the text of the successful answer; the file is then saved from a Blob.
 * (A plain link cannot be used: the token never goes into a URL.) The answer also says when the ledger no longer
 * keeps part of the window, which the file cannot.
 */
export async function downloadUsageCsv(query: CsvQuery): Promise<{ rows: number; filename: string; retentionNote: string | null }> {
  let text = '';
  let filename = 'usage.csv';
  let rows = 0;
  let retentionNote: string | null = null;
  const client = adminClient({
    fetch: async (input, init) => {
      const response = await globalThis.fetch(input, init);
      if (response.ok) {
        text = await response.clone().text();
        filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? filename;
        rows = Number(response.headers.get('x-csv-rows') ?? 0);
        retentionNote = response.headers.get('x-usage-retention-note');
      }
      return response;
    },
  });
  await client.adminUsageCsv({ query });
  saveFile(new Blob([text], { type: 'text/csv;charset=utf-8' }), filename);
  return { rows, filename, retentionNote };
}
