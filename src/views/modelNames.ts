/** "org/name" -> "name": the label used on axes and legends. */
export function shortName(repo: string): string {
  const i = repo.lastIndexOf('/');
  return i >= 0 ? repo.slice(i + 1) : repo;
}
