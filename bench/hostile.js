// Generates the hostile inputs of issue 13 whose cost grew faster than their size: each is a repository (path →
// content) and what a check of it must report. test/bounded.test.ts runs them at a size that showed the bug;
// `node scripts/bench.js --hostile-only` scales them to about 10 MB and measures time and peak memory.
//
// Every name is built from its index, so the same count always gives the same bytes.

/** A 7-character name part from an index and a salt: declared and referenced names share their length. */
const part = (i, salt) => ((Math.imul(i, 2654435761) + salt) >>> 0).toString(36).padStart(7, '0').slice(-7);

/**
 * `count` declared groups and `count` assignments to groups that are not declared, every name of the same
 * length and shape (`aws-team-xxxxxxx-admins`), so that "did you mean" has to compare each reference with
 * many names. Was quadratic: 1,000 references took 6.4 s, 16,000 several minutes.
 */
export function undeclaredReferences(count) {
  let groups = 'kind: Groups\ngroups:\n';
  let assignments = 'kind: Assignments\nassignments:\n';
  for (let i = 0; i < count; i++) {
    groups += `  - name: aws-team-${part(i, 1)}-admins\n`;
    assignments += `  - { group: aws-team-${part(i, 977)}-admins, permissionSet: Admin, accounts: ["111111111111"] }\n`;
  }
  return {
    files: {
      'identity/groups.yaml': groups,
      'identity/assignments.yaml': assignments,
      'identity/admin.yaml': 'kind: PermissionSet\nname: Admin\n',
    },
    // One IDC002 per reference, each at its own line (the first at line 3).
    expect: { ruleId: 'IDC002', file: 'identity/assignments.yaml', firstLine: 3, count },
  };
}

/**
 * One file of `count` small Groups documents, each expanding by 9,000 nodes through one anchor used 45 times,
 * under the per-document limit (10,000). With `bad`, each expanded member is a list, not a name: a finding
 * each, as in the attack (9.6 MB gave 2.4 million findings and 3.6 GB). The run's limit (100,000) admits the
 * first 11 documents; every later one is one IDC001 at its `---` line.
 */
export function aliasedDocuments(count, { bad = false } = {}) {
  // 9,000 nodes (valid: 199 names and their list) or 9,045 (bad: 100 lists of one) per use of the anchor.
  const members = bad ? Array(100).fill('[x]') : Array(199).fill('alice@example.com');
  const docs = [];
  for (let d = 0; d < count; d++) {
    const lines = [
      'kind: Groups',
      'groups:',
      `  - { name: g${d}-0, members: { users: &u [${members.join(', ')}] } }`,
    ];
    for (let i = 1; i <= 45; i++) lines.push(`  - { name: g${d}-${i}, members: { users: *u } }`);
    docs.push(lines.join('\n'));
  }
  const text = `${docs.join('\n---\n')}\n`;
  const admitted = 11;
  const linesPerDoc = 48 + 1; // the document and the `---` before the next
  return {
    files: { 'identity/aliased.yaml': text },
    expect: {
      ruleId: 'IDC001',
      file: 'identity/aliased.yaml',
      admitted,
      // Each refused document is reported at its `---` line.
      refusedLines: Array.from(
        { length: Math.max(0, count - admitted) },
        (_, k) => (admitted + k) * linesPerDoc,
      ),
    },
  };
}

/**
 * `count` entries that each break their schema in one way the same schema error explains: assignments with no
 * target (a oneOf/anyOf with a hint) or groups with an unknown property (a `$ref`'d item). Both were quadratic
 * in the number of errors (20,000 assignments: 38 s; 150,000 groups: 85 s), and the findings pass maxFindings.
 */
export function badEntries(count, kind = 'assignments', { suppressFirst = false } = {}) {
  const lines = kind === 'assignments' ? ['kind: Assignments', 'assignments:'] : ['kind: Groups', 'groups:'];
  // A suppression comment that names the findings' rule: each such finding needs its line before the list is
  // cut to maxFindings (was: a parse of the whole file with positions, 15 s and 1.5 GB at 10 MB).
  if (suppressFirst) lines.push('  # idc-guard-ignore IDC001 -- the first one is known');
  for (let i = 0; i < count; i++)
    lines.push(
      kind === 'assignments'
        ? `  - { group: g${i % 100}, permissionSet: Admin }`
        : `  - { name: g${i}, colour: blue }`,
    );
  // The groups and the permission set are declared, so that the schema error is each entry's only finding
  // (an entry's valid fields are still checked: an undeclared group would be an IDC002 too).
  const declared =
    kind === 'assignments'
      ? {
          'identity/declared.yaml': `kind: Groups\ngroups:\n${Array.from({ length: 100 }, (_, i) => `  - name: g${i}\n`).join('')}---\nkind: PermissionSet\nname: Admin\n`,
        }
      : {};
  return {
    files: { [`identity/bad-${kind}.yaml`]: `${lines.join('\n')}\n`, ...declared },
    expect: { ruleId: 'IDC001', file: `identity/bad-${kind}.yaml`, firstLine: 3, count },
  };
}

/**
 * An Entra mapping whose displayName expression nests `depth` calls: a recursive parser overflowed the stack
 * at 8,000 (exit 2, no report). [mail] may be empty, so IDC006 notes it at the mapping's line (8).
 */
export function deepEntraExpression(depth) {
  const expression = `${'ToLower('.repeat(depth)}[mail]${')'.repeat(depth)}`;
  return {
    files: {
      'identity/mapping.yaml': [
        'kind: AttributeMapping',
        'idp: entra',
        'mappings:',
        '  - { target: userName, source: userPrincipalName }',
        '  - { target: name.givenName, source: displayName }',
        '  - { target: name.familyName, source: displayName }',
        '  - { target: \'emails[type eq "work"].value\', source: userPrincipalName }',
        `  - { target: displayName, expression: '${expression}' }`,
        '',
      ].join('\n'),
    },
    expect: { ruleId: 'IDC006', file: 'identity/mapping.yaml', line: 8 },
  };
}
