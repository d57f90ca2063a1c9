// Appendix D-2.3: do matched layers (i, i) stand out from mismatched ones (i, j≠i)?
import { diagonalSummary } from '../../core/metrics';
import type { PairMatrices } from '../../core/types';
import { fmt } from './compareModel';

export function DiagonalSummary({ pair }: { pair: PairMatrices }) {
  const cos = diagonalSummary(pair.cosine, pair.rows, pair.cols);
  const r = diagonalSummary(pair.pearson, pair.rows, pair.cols);
  const rows = [
    ['Diagonal mean', cos.diagonalMean, r.diagonalMean, 'diag-mean'],
    ['Diagonal std', cos.diagonalStd, r.diagonalStd, 'diag-std'],
    ['Off-diagonal mean', cos.offDiagonalMean, r.offDiagonalMean, 'off-mean'],
    ['Off-diagonal std', cos.offDiagonalStd, r.offDiagonalStd, 'off-std'],
    ['Difference (diag − off)', cos.difference, r.difference, 'difference'],
  ] as const;
  return (
    <table className="summary" data-testid="diagonal-summary">
      <caption>Matched vs mismatched layer pairs</caption>
      <thead>
        <tr>
          <th />
          <th>raw cosine</th>
          <th>Pearson r</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, c, p, id]) => (
          <tr key={id} data-testid={`summary-${id}`}>
            <th>{label}</th>
            <td>{fmt(c)}</td>
            <td>{fmt(p)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
