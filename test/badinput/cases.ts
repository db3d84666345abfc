// The bad-input corpus: one row per mistake a user can make, with what the CLI must say about it.
// Each row runs the compiled CLI (bin/dkmv.js) in a fresh temporary project (see badinput.test.ts);
// every row must exit 2 with no stack trace, name what is wrong and where (file:line or flag), give a
// fix, and start or write nothing.

export type Kind =
  | 'component-yaml'
  | 'component.yaml'
  | 'template'
  | 'inputs-outputs'
  | 'flags'
  | 'repo'
  | 'config'
  | 'model-script'
  | 'run-id'
  | 'temporal'
  | 'harness'
  | 'init';

export interface BadInput {
  id: string;
  kind: Kind;
  /** Arguments after `dkmv`. */
  args: string[];
  /** Files written into the project (paths relative to it); they replace the base component's. */
  files?: Record<string, string>;
  /** Files written byte for byte (e.g. a task file saved as UTF-16). */
  bytes?: Record<string, Uint8Array>;
  /** Symbolic links in the project: link path → target (`$OUTSIDE` = a file outside the project). */
  links?: Record<string, string>;
  /** Extra environment. TEMPORAL_ADDRESS is a dead port unless `temporal` is set. */
  env?: Record<string, string>;
  /** Point TEMPORAL_ADDRESS at the shared dev server (and check no workflow was started). */
  temporal?: boolean;
  /** Patterns the error output must match: what is wrong and where (file:line, field or flag). */
  says: RegExp[];
}

/** A minimal valid component the rows break one piece at a time. */
export const BASE_FILES: Record<string, string> = {
  'comp/component.yaml': 'name: comp\ndescription: a component for the bad-input corpus\n',
  'comp/01-work.yaml': 'name: work\nprompt: "do the work"\n',
  'docs/prd.md': '# PRD\n',
  'ms/questions.yaml': [
    'sessions:',
    '  - turns:',
    '      - write:',
    '          path: .agent/analysis.json',
    '          content: \'{"questions": [{"id": "db", "question": "Which database?", "options": ["sqlite", "postgres"]}]}\'',
    '      - text: done',
    '',
  ].join('\n'),
};

const RUN = ['run', './comp', '--branch', 'feat/x'];
const task = (body: string): Record<string, string> => ({ 'comp/01-work.yaml': body });
const TEST = ['test', './comp'];

export const CASES: BadInput[] = [
  // ---- task files (component YAML) ----
  {
    id: 'task-yaml-syntax',
    kind: 'component-yaml',
    args: RUN,
    files: task('name: work\nprompt: [unclosed\n'),
    says: [/01-work\.yaml:\d+/, /YAML/i],
  },
  {
    id: 'task-unknown-field',
    kind: 'component-yaml',
    args: RUN,
    files: task('name: work\npromt: hi\n'),
    says: [/01-work\.yaml:2/, /unknown field "promt"/, /did you mean "prompt"/],
  },
  {
    id: 'task-no-prompt',
    kind: 'component-yaml',
    args: RUN,
    files: task('name: work\n'),
    says: [/01-work\.yaml/, /prompt/],
  },
  {
    id: 'task-max-turns-text',
    kind: 'component-yaml',
    args: RUN,
    files: task('name: work\nprompt: hi\nmax_turns: many\n'),
    says: [/01-work\.yaml:3/, /max_turns/],
  },
  {
    id: 'task-not-a-mapping',
    kind: 'component-yaml',
    args: RUN,
    files: task('- just\n- a list\n'),
    says: [/01-work\.yaml:1/, /mapping/],
  },
  {
    id: 'task-agent-model-mismatch',
    kind: 'component-yaml',
    args: RUN,
    files: task('name: work\nprompt: hi\nagent: codex\nmodel: claude-sonnet-4-6\n'),
    says: [/01-work\.yaml:\d/, /does not run on agent/],
  },
  {
    id: 'task-prompt-file-missing',
    kind: 'component-yaml',
    args: RUN,
    files: task('name: work\nprompt_file: prompts/nope.md\n'),
    says: [/01-work\.yaml:2/, /prompt_file "prompts\/nope\.md" does not exist/],
  },
  {
    id: 'task-utf16',
    kind: 'component-yaml',
    args: RUN,
    bytes: { 'comp/01-work.yaml': Buffer.from('\ufeffname: work\nprompt: hi\n', 'utf16le') },
    says: [/01-work\.yaml/, /saved as UTF-16/, /UTF-8/],
  },
  {
    id: 'task-ref-typo',
    kind: 'template',
    args: RUN,
    files: { 'comp/02-next.yaml': 'name: next\nprompt: "{{ tasks.wrok.status }}"\n' },
    says: [/02-next\.yaml:2/, /no task named "wrok"/, /tasks\.work/],
  },
  {
    id: 'template-unclosed-lookup',
    kind: 'template',
    args: RUN,
    files: task('name: work\nprompt: |\n  hello\n  {{ repo.\n'),
    says: [/01-work\.yaml:4/, /"\{\{ repo\." is never closed/],
  },
  // ---- component.yaml ----
  {
    id: 'manifest-task-outside-folder',
    kind: 'component.yaml',
    args: RUN,
    files: {
      'comp/component.yaml': 'name: comp\ntasks:\n  - file: ../other.yaml\n',
      'other.yaml': 'name: other\nprompt: x\n',
    },
    says: [/component\.yaml:3/, /outside the component folder/, /it exists/],
  },
  {
    id: 'manifest-unknown-field',
    kind: 'component.yaml',
    args: RUN,
    files: { 'comp/component.yaml': 'nmae: comp\n' },
    says: [/component\.yaml:1/, /unknown field "nmae"/, /did you mean "name"/],
  },
  {
    id: 'manifest-task-bare-name',
    kind: 'component.yaml',
    args: RUN,
    files: { 'comp/component.yaml': 'name: comp\ntasks: [01-work.yaml]\n' },
    says: [/component\.yaml:2/, /tasks\[0\]/, /- file: 01-work\.yaml/],
  },
  {
    id: 'manifest-task-file-missing',
    kind: 'component.yaml',
    args: RUN,
    files: { 'comp/component.yaml': 'name: comp\ntasks:\n  - file: 02-missing.yaml\n' },
    says: [/component\.yaml:\d/, /02-missing\.yaml/],
  },
  {
    id: 'manifest-yaml-syntax',
    kind: 'component.yaml',
    args: RUN,
    files: { 'comp/component.yaml': 'name: comp\n  bad: indent\n' },
    says: [/component\.yaml:\d/],
  },
  {
    id: 'manifest-pause-after-text',
    kind: 'component.yaml',
    args: RUN,
    files: { 'comp/component.yaml': 'name: comp\ntasks:\n  - file: 01-work.yaml\n    pause_after: sometimes\n' },
    says: [/component\.yaml:4/, /pause_after/],
  },
  {
    id: 'component-missing',
    kind: 'component.yaml',
    args: ['run', 'no-such-component', '--branch', 'feat/x'],
    says: [/no-such-component/],
  },
  // ---- inputs and outputs ----
  {
    id: 'output-absolute',
    kind: 'inputs-outputs',
    args: RUN,
    files: task('name: work\nprompt: hi\noutputs:\n  - path: /etc/out.json\n'),
    says: [/01-work\.yaml:4/, /absolute path/],
  },
  {
    id: 'output-escapes',
    kind: 'inputs-outputs',
    args: RUN,
    files: task('name: work\nprompt: hi\noutputs:\n  - path: ../../out.json\n'),
    says: [/01-work\.yaml:4/, /outside the workspace/],
  },
  {
    id: 'output-required-fields-md',
    kind: 'inputs-outputs',
    args: RUN,
    files: task('name: work\nprompt: hi\noutputs:\n  - path: notes.md\n    required_fields: [a]\n'),
    says: [/01-work\.yaml:\d/, /required_fields only works for JSON/],
  },
  {
    id: 'input-src-missing',
    kind: 'inputs-outputs',
    args: RUN,
    files: task('name: work\nprompt: hi\ninputs:\n  - name: doc\n    type: file\n    src: docs/nope.md\n'),
    says: [/01-work\.yaml/, /docs\/nope\.md does not exist/],
  },
  {
    id: 'input-dest-escapes',
    kind: 'inputs-outputs',
    args: RUN,
    files: task(
      'name: work\nprompt: hi\ninputs:\n  - name: doc\n    type: file\n    src: docs/prd.md\n    dest: ../../etc/x\n',
    ),
    says: [/01-work\.yaml:7/, /outside the workspace/],
  },
  {
    id: 'input-src-link-outside',
    kind: 'inputs-outputs',
    args: RUN,
    files: task('name: work\nprompt: hi\ninputs:\n  - name: doc\n    type: file\n    src: docs/leak.md\n'),
    links: { 'docs/leak.md': '$OUTSIDE' },
    says: [/docs\/leak\.md/, /symbolic link/, /outside the project/],
  },
  {
    id: 'input-folder-link-outside',
    kind: 'inputs-outputs',
    args: RUN,
    files: task('name: work\nprompt: hi\ninputs:\n  - name: docs\n    type: file\n    src: docs\n'),
    links: { 'docs/leak.md': '$OUTSIDE' },
    says: [/docs\/leak\.md/, /symbolic link/],
  },
  {
    id: 'prompt-file-link-outside',
    kind: 'inputs-outputs',
    args: RUN,
    files: task('name: work\nprompt_file: prompt.md\n'),
    links: { 'comp/prompt.md': '$OUTSIDE' },
    says: [/prompt\.md/, /symbolic link/],
  },
  {
    id: 'context-link-outside',
    kind: 'inputs-outputs',
    args: [...RUN, '--context', 'docs/leak.md'],
    links: { 'docs/leak.md': '$OUTSIDE' },
    says: [/--context docs\/leak\.md/, /symbolic link/],
  },
  {
    id: 'context-missing',
    kind: 'inputs-outputs',
    args: [...RUN, '--context', 'nope/'],
    says: [/--context nope\//, /no such file/],
  },
  // ---- templates ----
  {
    id: 'template-undefined-var',
    kind: 'template',
    args: RUN,
    files: task('name: work\nprompt: "hello {{ who }}"\n'),
    says: [/01-work\.yaml:2/, /"who" is not defined/, /--var who=/],
  },
  {
    id: 'template-unknown-filter',
    kind: 'template',
    args: RUN,
    files: task('name: work\n\nprompt: "{{ feature_name | shout }}"\n'),
    says: [/01-work\.yaml:3/, /unknown filter "shout"/],
  },
  {
    id: 'template-fromjson-bad-var',
    kind: 'template',
    args: [...RUN, '--var', 'items=a,b'],
    files: task('name: work\nprompt: "x"\ndescription: "{{ (items | fromjson) | length }}"\n'),
    says: [/01-work\.yaml:3/, /"items"/, /not valid JSON/, /--var items=/],
  },
  {
    id: 'template-unclosed-if',
    kind: 'template',
    args: RUN,
    files: task('name: work\n{% if branch %}\nprompt: hi\n'),
    says: [/01-work\.yaml:2/, /\{% if %\} is never closed/, /endif/],
  },
  {
    id: 'template-method-line',
    kind: 'template',
    args: RUN,
    files: task('name: work\ndescription: d\nprompt: "{{ branch.shout() }}"\n'),
    says: [/01-work\.yaml:3/, /branch\.shout/, /not a method/],
  },
  {
    id: 'template-broken-expression',
    kind: 'template',
    args: RUN,
    files: task('name: work\nprompt: "{{ branch + }}"\n'),
    says: [/01-work\.yaml:2/, /template error/],
  },
  {
    id: 'template-unknown-test',
    kind: 'template',
    args: RUN,
    files: task('name: work\nprompt: "{% if branch is shiny %}x{% endif %}"\n'),
    says: [/01-work\.yaml:2/, /unknown test "shiny"/],
  },
  {
    id: 'template-method-printed',
    kind: 'template',
    args: RUN,
    files: task('name: work\nprompt: "{{ branch.upper }}"\n'),
    says: [/01-work\.yaml/, /printed instead of called/],
  },
  {
    id: 'template-in-prompt-file',
    kind: 'template',
    args: RUN,
    files: { ...task('name: work\nprompt_file: prompt.md\n'), 'comp/prompt.md': 'line one\nline two {{ nope }}\n' },
    says: [/prompt\.md:2/, /"nope" is not defined/],
  },
  // ---- flags ----
  { id: 'flag-branch-missing', kind: 'flags', args: ['run', './comp'], says: [/--branch is required/] },
  {
    id: 'flag-branch-dotdot',
    kind: 'flags',
    args: ['run', './comp', '--branch', 'a..b'],
    says: [/--branch "a\.\.b"/, /not a valid branch name/],
  },
  {
    id: 'flag-branch-space',
    kind: 'flags',
    args: ['run', './comp', '--branch', 'a b'],
    says: [/--branch "a b"/, /space/],
  },
  {
    id: 'flag-branch-trailing-slash',
    kind: 'flags',
    args: ['run', './comp', '--branch', 'feat/'],
    says: [/--branch "feat\/"/, /ends with "\/"/],
  },
  {
    id: 'flag-branch-lock',
    kind: 'flags',
    args: ['run', './comp', '--branch', 'feat.lock'],
    says: [/--branch "feat\.lock"/],
  },
  { id: 'flag-memory-1k', kind: 'flags', args: [...RUN, '--memory', '1k'], says: [/--memory/, /too small/, /256m/] },
  { id: 'flag-memory-8m', kind: 'flags', args: [...RUN, '--memory', '8m'], says: [/--memory/, /too small/] },
  { id: 'flag-memory-word', kind: 'flags', args: [...RUN, '--memory', 'lots'], says: [/--memory/, /512m/] },
  { id: 'flag-max-turns-zero', kind: 'flags', args: [...RUN, '--max-turns', '0'], says: [/--max-turns/] },
  { id: 'flag-timeout-text', kind: 'flags', args: [...RUN, '--timeout', 'soon'], says: [/--timeout/] },
  { id: 'flag-budget-text', kind: 'flags', args: [...RUN, '--max-budget-usd', 'ten'], says: [/--max-budget-usd/] },
  { id: 'flag-agent-unknown', kind: 'flags', args: [...RUN, '--agent', 'gemini'], says: [/--agent/, /claude, codex/] },
  {
    id: 'flag-model-family',
    kind: 'flags',
    args: [...RUN, '--model', 'gemini-2.5-pro'],
    says: [/--model gemini-2\.5-pro/, /unknown model family/, /claude-\*/],
  },
  { id: 'flag-model-url-ftp', kind: 'flags', args: [...RUN, '--model-url', 'ftp://x'], says: [/--model-url/, /http/] },
  { id: 'flag-var-no-equals', kind: 'flags', args: [...RUN, '--var', 'who'], says: [/--var who/, /KEY=VALUE/] },
  {
    id: 'flag-start-task-unknown',
    kind: 'flags',
    args: [...RUN, '--start-task', 'nosuch'],
    says: [/nosuch/, /\bwork\b/],
  },
  {
    id: 'flag-unknown-option',
    kind: 'flags',
    args: ['run', './comp', '--brnach', 'x'],
    says: [/unknown option '--brnach'/, /--branch/],
  },
  {
    id: 'plan-prd-missing',
    kind: 'flags',
    args: ['plan', '--branch', 'feat/x', '--prd', 'missing.md'],
    says: [/--prd missing\.md/, /no such file/],
  },
  {
    id: 'dev-start-phase-text',
    kind: 'flags',
    args: ['dev', '--branch', 'feat/x', '--impl-docs', 'docs', '--start-phase', 'two'],
    says: [/--start-phase two/],
  },
  // ---- repositories ----
  {
    id: 'repo-missing-path',
    kind: 'repo',
    args: [...RUN, '--repo', './no-such-repo'],
    says: [/--repo \.\/no-such-repo/, /no such directory/],
  },
  {
    id: 'repo-missing-file-url',
    kind: 'repo',
    args: [...RUN, '--repo', 'file:///nonexistent/dkmv-badinput.git'],
    says: [/--repo file:\/\/\/nonexistent/, /does not exist/],
  },
  { id: 'repo-not-git', kind: 'repo', args: [...RUN, '--repo', '/'], says: [/--repo \//, /not a git repository/] },
  // ---- configuration ----
  {
    id: 'config-json-syntax',
    kind: 'config',
    args: RUN,
    files: { '.dkmv/config.json': '{ "version": 1, ' },
    says: [/config\.json/],
  },
  {
    id: 'config-dotenv-max-turns',
    kind: 'config',
    args: RUN,
    files: { '.env': 'DKMV_MAX_TURNS=lots\n' },
    says: [/DKMV_MAX_TURNS/, /\.env/],
  },
  {
    id: 'config-env-memory',
    kind: 'config',
    args: RUN,
    env: { DKMV_MEMORY: '1k' },
    says: [/DKMV_MEMORY/, /too small/],
  },
  {
    id: 'config-tls-cert-alone',
    kind: 'config',
    args: RUN,
    env: { TEMPORAL_TLS_CLIENT_CERT_PATH: '/nonexistent/cert.pem' },
    says: [/TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH/],
  },
  {
    id: 'config-temporal-profile',
    kind: 'config',
    args: ['approve', 'some-run', '--action', 'continue'],
    env: { TEMPORAL_PROFILE: 'nosuch', TEMPORAL_CONFIG_FILE: '$PROJECT/temporal.toml' },
    files: { 'temporal.toml': '[profile.default]\naddress = "127.0.0.1:1"\n' },
    says: [/TEMPORAL_PROFILE=nosuch/],
  },
  {
    id: 'create-pr-no-token',
    kind: 'flags',
    args: [...RUN, '--var', 'create_pr=true'],
    says: [/asks for a pull request/, /--agent-github-token/],
  },
  {
    id: 'config-repo-missing',
    kind: 'config',
    args: RUN,
    files: { '.dkmv/config.json': JSON.stringify({ version: 1, repo: '/nonexistent/repo', defaults: {} }) },
    says: [/config\.json \(field repo\)/, /\/nonexistent\/repo: no such directory/, /or pass --repo/],
  },
  {
    id: 'config-max-turns-type',
    kind: 'config',
    args: RUN,
    files: { '.dkmv/config.json': JSON.stringify({ version: 1, repo: '.', defaults: { max_turns: true } }) },
    says: [/defaults\.max_turns/, /must be a number/],
  },
  {
    id: 'test-no-worker',
    kind: 'temporal',
    args: [...TEST, '--script', 'ms/questions.yaml'],
    temporal: true,
    env: { DKMV_TASK_QUEUE: 'badinput-no-worker' },
    says: [/no worker has polled task queue 'badinput-no-worker'/, /dkmv up/],
  },
  {
    id: 'config-worker-wait-text',
    kind: 'config',
    args: [...TEST, '--script', 'ms/questions.yaml'],
    env: { DKMV_TEST_WORKER_WAIT: 'forever' },
    says: [/DKMV_TEST_WORKER_WAIT=forever/],
  },
  {
    id: 'init-repo-missing',
    kind: 'init',
    args: ['init', '--yes', '--repo', './no-such-repo'],
    says: [/--repo \.\/no-such-repo/, /no such directory/],
  },
  { id: 'init-name-empty', kind: 'init', args: ['init', '--yes', '--name', ' '], says: [/--name must not be empty/] },
  // ---- model scripts (dkmv test) ----
  {
    id: 'script-session-typo',
    kind: 'model-script',
    args: [...TEST, '--script', 'ms/s.yaml'],
    files: { 'ms/s.yaml': 'session:\n  - turns: [{text: hi}]\n' },
    says: [/s\.yaml:\d/, /unknown field "session"/, /did you mean "sessions"/, /README/],
  },
  {
    id: 'script-turns-text',
    kind: 'model-script',
    args: [...TEST, '--script', 'ms/s.yaml'],
    files: { 'ms/s.yaml': 'sessions:\n  - turns: hi\n' },
    says: [/s\.yaml:2/, /expected a list/],
  },
  {
    id: 'script-action-typo',
    kind: 'model-script',
    args: [...TEST, '--script', 'ms/s.yaml'],
    files: { 'ms/s.yaml': 'sessions:\n  - turns:\n      - txt: hi\n' },
    says: [/s\.yaml:3/, /unknown field "txt"/, /did you mean "text"/],
  },
  {
    id: 'script-bad-regex',
    kind: 'model-script',
    args: [...TEST, '--script', 'ms/s.yaml'],
    files: { 'ms/s.yaml': 'sessions:\n  - match: "([a-"\n    turns: [{text: hi}]\n' },
    says: [/s\.yaml:2/, /invalid regex/],
  },
  {
    id: 'script-yaml-syntax',
    kind: 'model-script',
    args: [...TEST, '--script', 'ms/s.yaml'],
    files: { 'ms/s.yaml': 'sessions:\n  - turns: [\n' },
    says: [/s\.yaml:\d/, /invalid YAML/],
  },
  {
    id: 'script-missing-file',
    kind: 'model-script',
    args: [...TEST, '--script', 'ms/none.yaml'],
    says: [/none\.yaml/, /cannot read model script/],
  },
  {
    id: 'script-error-code',
    kind: 'model-script',
    args: [...TEST, '--script', 'ms/s.yaml'],
    files: { 'ms/s.yaml': 'sessions:\n  - turns:\n      - error: 200\n' },
    says: [/s\.yaml:3/, /error/],
  },
  {
    id: 'test-answer-not-option',
    kind: 'model-script',
    args: [...TEST, '--script', 'ms/questions.yaml', '--answer', 'db=oracle'],
    says: [/--answer db=oracle/, /sqlite, postgres/],
  },
  {
    id: 'test-answer-malformed',
    kind: 'model-script',
    args: [...TEST, '--script', 'ms/questions.yaml', '--answer', 'db'],
    says: [/--answer db/, /ID=VALUE/],
  },
  { id: 'test-no-script', kind: 'model-script', args: TEST, says: [/no model script/, /--script/] },
  {
    id: 'model-script-empty',
    kind: 'model-script',
    args: [...TEST, '--script', 'ms/empty.yaml'],
    files: { 'ms/empty.yaml': '' },
    says: [/empty\.yaml/, /model script is empty/, /sessions:/],
  },
  // ---- run ids (shared Temporal server) ----
  {
    id: 'approve-unknown-run',
    kind: 'run-id',
    args: ['approve', 'no-such-run', '--action', 'continue'],
    temporal: true,
    says: [/no-such-run/],
  },
  {
    id: 'attach-unknown-run',
    kind: 'run-id',
    args: ['attach', 'no-such-run'],
    temporal: true,
    says: [/no run "no-such-run"/, /dkmv runs/],
  },
  { id: 'stop-unknown-run', kind: 'run-id', args: ['stop', 'no-such-run'], temporal: true, says: [/no-such-run/] },
  {
    id: 'show-unknown-run',
    kind: 'run-id',
    args: ['show', 'no-such-run'],
    temporal: true,
    says: [/no run "no-such-run"/, /dkmv runs/],
  },
  { id: 'stop-wait-text', kind: 'run-id', args: ['stop', 'no-such-run', '--wait', 'soon'], says: [/--wait soon/] },
  // ---- the Temporal connection ----
  {
    id: 'temporal-refused-run',
    kind: 'temporal',
    args: RUN,
    says: [/cannot reach Temporal at 127\.0\.0\.1:1 \(TEMPORAL_ADDRESS\)/, /connection refused/],
  },
  {
    id: 'temporal-refused-approve',
    kind: 'temporal',
    args: ['approve', 'some-run', '--action', 'continue'],
    says: [/cannot reach Temporal at 127\.0\.0\.1:1/],
  },
  {
    id: 'temporal-refused-test',
    kind: 'temporal',
    args: [...TEST, '--script', 'ms/questions.yaml'],
    says: [/cannot reach Temporal at 127\.0\.0\.1:1/],
  },
  {
    id: 'temporal-namespace-run',
    kind: 'temporal',
    args: RUN,
    temporal: true,
    env: { TEMPORAL_NAMESPACE: 'no-such-namespace' },
    says: [/TEMPORAL_NAMESPACE/, /'no-such-namespace' does not exist/],
  },
  {
    id: 'temporal-namespace-approve',
    kind: 'temporal',
    args: ['approve', 'some-run', '--action', 'continue'],
    temporal: true,
    env: { TEMPORAL_NAMESPACE: 'no-such-namespace' },
    says: [/'no-such-namespace' does not exist/],
  },
  {
    id: 'temporal-namespace-test',
    kind: 'temporal',
    args: [...TEST, '--script', 'ms/questions.yaml'],
    temporal: true,
    env: { TEMPORAL_NAMESPACE: 'no-such-namespace' },
    says: [/'no-such-namespace' does not exist/],
  },
  {
    id: 'temporal-api-key-plain',
    kind: 'temporal',
    args: RUN,
    temporal: true,
    env: { TEMPORAL_API_KEY: 'not-a-real-key' },
    says: [/TEMPORAL_API_KEY is set, which turns TLS on/, /unset TEMPORAL_API_KEY/],
  },
  {
    id: 'temporal-address-malformed',
    kind: 'temporal',
    args: RUN,
    env: { TEMPORAL_ADDRESS: 'localhost' },
    says: [/TEMPORAL_ADDRESS/, /host:port/],
  },
  // ---- the harness: prompts and plans ----
  {
    id: 'harness-empty-prompt',
    kind: 'harness',
    args: ['harness', ' ', '--branch', 'feat/x'],
    says: [/needs a prompt/],
  },
  { id: 'harness-no-branch', kind: 'harness', args: ['harness', 'a todo app'], says: [/--branch is required/] },
  {
    id: 'harness-branch-dotdot',
    kind: 'harness',
    args: ['harness', 'a todo app', '--branch', 'a..b'],
    says: [/--branch "a\.\.b"/],
  },
  {
    id: 'harness-profile-unknown',
    kind: 'harness',
    args: ['harness', 'a todo app', '--branch', 'feat/x', '--profile', 'turbo'],
    says: [/--profile/, /turbo/, /quality, balanced, budget/],
  },
  {
    id: 'harness-max-parallel-zero',
    kind: 'harness',
    args: ['harness', 'a todo app', '--branch', 'feat/x', '--max-parallel', '0'],
    says: [/--max-parallel/],
  },
  {
    id: 'harness-prd-missing',
    kind: 'harness',
    args: ['harness', 'a todo app', '--branch', 'feat/x', '--prd', 'missing.md'],
    says: [/--prd/, /missing\.md/],
  },
  {
    id: 'harness-role-malformed',
    kind: 'harness',
    args: ['harness', 'a todo app', '--branch', 'feat/x', '--role', 'planner'],
    says: [/--role/],
  },
];
