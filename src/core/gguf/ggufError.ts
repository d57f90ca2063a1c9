// The one error class of the GGUF seam: a file (or a part of one) that is not a GGUF file we can
// read. The message is meant for users; `detail` names what was wrong for logs and tests.

export type GgufProblem =
  | 'not-gguf' // wrong magic
  | 'unsupported-version'
  | 'big-endian'
  | 'truncated' // the file (or the bytes served) ended inside the header
  | 'too-large' // the header runs past the byte budget
  | 'implausible' // a count or length that cannot be real
  | 'bad-value' // a value of the wrong type or out of range
  | 'offset-beyond-file'
  | 'unsupported-dtype'; // a norm tensor stored in a type we cannot decode

export class GgufFormatError extends Error {
  override name = 'GgufFormatError';
  readonly problem: GgufProblem;
  constructor(problem: GgufProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}
