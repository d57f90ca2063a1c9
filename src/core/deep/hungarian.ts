// Maximum-weight perfect matching on an n×n score matrix (the Hungarian method with potentials,
// shortest augmenting paths, O(n³)): 256 units match in a few ms. Equivariant: relabelling the
// columns relabels the matching the same way (ties aside, which continuous scores do not have).

/** matchOfRow[i] = the column matched to row i, maximising Σ score[i][matchOfRow[i]]. Row-major n×n. */
export function maxWeightMatching(score: Float64Array, n: number): Int32Array {
  // minimise cost = −score; u, v potentials; p[j] = row matched to column j (1-based, 0 = none)
  const u = new Float64Array(n + 1),
    v = new Float64Array(n + 1),
    p = new Int32Array(n + 1),
    way = new Int32Array(n + 1);
  const minv = new Float64Array(n + 1),
    used = new Uint8Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0] as number,
        rowOffset = (i0 - 1) * n;
      let delta = Infinity,
        j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = -(score[rowOffset + j - 1] as number) - (u[i0] as number) - (v[j] as number);
        if (cur < (minv[j] as number)) {
          minv[j] = cur;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j] as number] = (u[p[j] as number] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else minv[j] = (minv[j] as number) - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0] as number;
      p[j0] = p[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const matchOfRow = new Int32Array(n);
  for (let j = 1; j <= n; j++) matchOfRow[(p[j] as number) - 1] = j - 1;
  return matchOfRow;
}
