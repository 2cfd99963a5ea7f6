import type { RawFinding, Severity } from '../../findings/types.js';
import { childLoc, keyLoc, type PathLoc, type PathSegment } from '../../load/location.js';
import type { ParsedDoc } from '../../load/parse.js';
import { validatorFor } from '../../validate/schemas.js';
import { describeErrors } from '../../validate/validate.js';

/** What the importers take from the configuration. */
export interface ImportOptions {
  /** Display names of the AWS IAM Identity Center app that do not say AWS, Amazon or Identity Center. */
  awsAppNames?: readonly string[];
}

/** Collects the IDC001 problems of one export file, at paths inside it. */
export class ExportProblems {
  readonly findings: RawFinding[] = [];
  constructor(private readonly doc: ParsedDoc) {}

  add(path: PathSegment[], message: string, options: { key?: boolean; severity?: Severity } = {}): void {
    const at = options.key ? keyLoc(this.doc.loc, ...path) : childLoc(this.doc.loc, ...path);
    this.findings.push({
      ruleId: 'IDC001',
      message,
      at,
      entity: { kind: 'export', name: this.doc.file },
      detail: `${path.join('/')}:${message}`,
      severity: options.severity,
    });
  }

  /** Validates the export's shape; false (with findings) when it cannot be read at all. */
  validate(schemaFile: string, what: string): boolean {
    const validate = validatorFor(schemaFile);
    if (validate(this.doc.value)) return true;
    for (const problem of describeErrors(validate.errors ?? [])) {
      this.add(problem.path, `${what}: ${problem.message}`, { key: problem.key });
    }
    return false;
  }

  loc(...path: PathSegment[]): PathLoc {
    return childLoc(this.doc.loc, ...path) as PathLoc;
  }
}
