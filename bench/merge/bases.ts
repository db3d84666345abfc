// Base files for the corpus: a few realistic modules per language, built as models.
import type { Block, Dialect, Fn, Model } from './model.js';

const tsLike = (d: Dialect) => d !== 'py';

/** A function body that reads like application code; lines 0, 3 and 5 have calls to edit. */
export function body(d: Dialect, name: string, param: string): string[] {
  if (d === 'py')
    return [
      `value = normalize(${param})`,
      'count = len(value)',
      'if count == 0:',
      `    log("${name}: empty")`,
      '    return None',
      `record("${name}", count)`,
      'return value',
    ];
  if (d === 'tsx')
    return [
      `const [open, setOpen] = useState(${param}.open ?? false);`,
      `const label = format('${name}');`,
      'return (',
      `  <div className="${name}" onClick={() => setOpen(!open)}>`,
      '    <span>{label}</span>',
      `    {open && <Details of={${param}} />}`,
      '  </div>',
      ');',
    ];
  return [
    `const value = normalize(${param});`,
    'const count = value.length;',
    'if (count === 0) {',
    `  log('${name}: empty');`,
    '  return null;',
    '}',
    `record('${name}', count);`,
    'return value;',
  ];
}

export function fn(d: Dialect, name: string, param = 'input'): Fn {
  const typed = d === 'ts' || d === 'tsx' ? `${param}: ${d === 'tsx' ? `${cap(name)}Props` : 'string'}` : param;
  return { kind: 'fn', name, params: [typed], body: body(d, name, param) };
}

export function method(d: Dialect, name: string): Fn {
  const self = d === 'py' ? ['self', 'item'] : ['item'];
  const b =
    d === 'py'
      ? [`key = self.key_of(item)`, `self.items[key] = item`, `self.emit("${name}", key)`, 'return key']
      : [`const key = this.keyOf(item);`, `this.items.set(key, item);`, `this.emit('${name}', key);`, 'return key;'];
  return { kind: 'fn', name, params: self, body: b };
}

export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

interface BaseSpec {
  id: string;
  dialect: Dialect;
  imports: Model['imports'];
  fns: string[];
  className: string;
  methods: string[];
  tail: string[];
  header?: string[];
  iface?: string;
}

const specs: BaseSpec[] = [
  {
    id: 'ts-orders',
    dialect: 'ts',
    header: ['// Order handling.'],
    imports: [
      { module: 'node:fs/promises', names: ['readFile', 'writeFile'] },
      { module: 'node:path', names: [], defaultName: 'path' },
      { module: './log.js', names: ['log', 'record'] },
    ],
    fns: ['createOrder', 'cancelOrder', 'totalOf', 'applyDiscount'],
    className: 'OrderStore',
    methods: ['add', 'remove', 'find'],
    tail: ['registerHandlers();'],
    iface: 'Order',
  },
  {
    id: 'ts-auth',
    dialect: 'ts',
    imports: [
      { module: 'node:crypto', names: ['createHash'] },
      { module: './users.js', names: ['findUser'] },
    ],
    fns: ['hashPassword', 'verifyPassword', 'issueToken', 'revokeToken', 'refreshToken'],
    className: 'SessionCache',
    methods: ['put', 'take'],
    tail: [],
    iface: 'Session',
  },
  {
    id: 'tsx-dashboard',
    dialect: 'tsx',
    imports: [
      { module: 'react', names: ['useState'], defaultName: 'React' },
      { module: './format', names: ['format'] },
      { module: './Details', names: ['Details'] },
    ],
    fns: ['Header', 'Sidebar', 'Chart', 'Footer'],
    className: 'Store',
    methods: ['select', 'clear'],
    tail: ['export default Header;'],
    iface: 'HeaderProps',
  },
  {
    id: 'tsx-settings',
    dialect: 'tsx',
    imports: [
      { module: 'react', names: ['useState', 'useEffect'] },
      { module: './format', names: ['format'] },
    ],
    fns: ['Profile', 'Billing', 'Security', 'Notifications'],
    className: 'SettingsModel',
    methods: ['load', 'save'],
    tail: [],
    iface: 'ProfileProps',
  },
  {
    id: 'js-router',
    dialect: 'js',
    imports: [
      { module: 'express', names: [], defaultName: 'express' },
      { module: './db.js', names: ['db', 'normalize'] },
    ],
    fns: ['listItems', 'getItem', 'createItem', 'deleteItem'],
    className: 'ItemCache',
    methods: ['get', 'set', 'drop'],
    tail: ['const app = express();', 'app.listen(3000);'],
  },
  {
    id: 'cjs-utils',
    dialect: 'cjs',
    imports: [
      { module: 'fs', names: [], defaultName: 'fs' },
      { module: './log', names: ['log', 'record'] },
    ],
    fns: ['readConfig', 'mergeConfig', 'validateConfig', 'writeConfig'],
    className: 'ConfigCache',
    methods: ['get', 'set'],
    tail: [],
  },
  {
    id: 'py-billing',
    dialect: 'py',
    header: ['"""Billing helpers."""'],
    imports: [
      { module: 'os', names: [] },
      { module: 'typing', names: ['List', 'Optional'] },
      { module: '.log', names: ['log', 'record'] },
    ],
    fns: ['charge', 'refund', 'invoice_total', 'apply_tax'],
    className: 'Ledger',
    methods: ['post', 'void', 'balance'],
    tail: ['if __name__ == "__main__":', '    charge(os.environ.get("AMOUNT"))'],
  },
  {
    id: 'py-etl',
    dialect: 'py',
    imports: [
      { module: 'json', names: [] },
      { module: 'dataclasses', names: ['dataclass'] },
    ],
    fns: ['extract', 'transform', 'load', 'validate', 'report'],
    className: 'Pipeline',
    methods: ['run', 'stop'],
    tail: [],
  },
];

export interface Base {
  id: string;
  model: Model;
  fns: string[];
  className: string;
  methods: string[];
  iface?: string;
}

export function bases(): Base[] {
  return specs.map((s) => {
    const d = s.dialect;
    const blocks: Block[] = [];
    if (s.iface) blocks.push({ kind: 'iface', name: s.iface, fields: ['id: string', 'open?: boolean'] });
    blocks.push(...s.fns.map((name) => fn(d, name)));
    blocks.push({
      kind: 'class',
      name: s.className,
      fields: tsLike(d) ? ['items = new Map();'] : ['items = {}'],
      methods: s.methods.map((m) => method(d, m)),
    });
    const model: Model = { dialect: d, header: s.header ?? [], imports: s.imports, blocks, tail: s.tail };
    if (d === 'cjs') model.tail = [`module.exports = { ${s.fns.join(', ')}, ${s.className} };`];
    return { id: s.id, model, fns: s.fns, className: s.className, methods: s.methods, iface: s.iface };
  });
}

export const extensionOf: Record<Dialect, string> = { ts: '.ts', tsx: '.tsx', js: '.js', cjs: '.js', py: '.py' };
