/**
 * Seeded synthetic embeddings for tests and benchmarks: clusters around random centres, like CNN embeddings of
 * similar images, rather than isotropic noise (on which every nearest-neighbour method looks equally bad).
 */

/** xorshift32: fast, seeded, good enough for test data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Approximately standard normal (sum of uniforms), cheap enough for a million rows of 1024. */
export function gaussian(random: () => number): number {
  return random() + random() + random() + random() - 2;
}

/**
 * `count` rows of `dim`, written into `out` from row 0: x = centre_c + B·z + noise, with one of `clusters` centres,
 * z a `latent`-dimensional standard normal and B a fixed random basis — a low-dimensional manifold in a
 * high-dimensional space, which is what CNN embeddings look like. Centres and basis depend on `seed` alone, so
 * chunks generated with different `chunkSeed`s belong to the same distribution.
 */
export function clusteredVectors(
  count: number,
  dim: number,
  options: { seed: number; clusters?: number; latent?: number; noise?: number; chunkSeed?: number },
  out = new Float32Array(count * dim),
): Float32Array {
  const clusters = options.clusters ?? 500;
  const latent = options.latent ?? 8;
  const noise = options.noise ?? 0.1;
  const { centres, basis } = structure(clusters, latent, dim, options.seed);
  const random = rng(options.chunkSeed ?? options.seed + 1);
  const z = new Float32Array(latent);
  for (let r = 0; r < count; r++) {
    const c = Math.floor(random() * clusters);
    for (let m = 0; m < latent; m++) z[m] = gaussian(random) * 0.5;
    const o = r * dim;
    for (let j = 0; j < dim; j++) {
      let v = centres[c * dim + j]! + noise * (random() - 0.5);
      for (let m = 0; m < latent; m++) v += z[m]! * basis[m * dim + j]!;
      out[o + j] = v;
    }
  }
  return out;
}

const structureCache = new Map<string, { centres: Float32Array; basis: Float32Array }>();

function structure(clusters: number, latent: number, dim: number, seed: number): { centres: Float32Array; basis: Float32Array } {
  const key = `${clusters}:${latent}:${dim}:${seed}`;
  let s = structureCache.get(key);
  if (!s) {
    const random = rng(seed);
    const centres = new Float32Array(clusters * dim);
    for (let i = 0; i < centres.length; i++) centres[i] = gaussian(random);
    const basis = new Float32Array(latent * dim);
    for (let i = 0; i < basis.length; i++) basis[i] = gaussian(random);
    s = { centres, basis };
    structureCache.set(key, s);
  }
  return s;
}
