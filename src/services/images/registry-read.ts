/** Small blobs (configs) read straight from a registry into memory, verified, capped at 8 MiB. */
import type { Descriptor } from '../../oci/image-spec.js';
import type { CallOptions } from '../../registry/client/index.js';
import type { Reference } from '../../registry/reference/index.js';
import type { ImagesContext } from './context.js';
import { readSmall } from './ingest.js';

export async function readBlobFromRegistry(ctx: ImagesContext, ref: Reference, desc: Descriptor, call: CallOptions): Promise<Buffer> {
  return readSmall(await ctx.registry.fetchBlob(ref, desc, call), 8 << 20, desc.digest);
}
