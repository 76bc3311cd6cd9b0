import { readCorpusDir } from './harness/judge/corpus/corpus.ts';
import { judge } from './harness/judge/index.ts';
const all = readCorpusDir('fixtures/judge-corpus').filter(s=>s.split==='dev');
const get = (x, n) => { const c = judge(x).checks.find(c=>c.name===n)!; return c.reason; };
const co = all.filter(s=>s.label==='coherent').map(s=>[s.id, get(s,'word-order').match(/log-lift (-?[\d.]+)/)?.[1]]).filter(r=>r[1]).sort((a,b)=>+a[1]-+b[1]).slice(0,6);
console.log(co);
const sa = all.filter(s=>s.kind.startsWith('salad')).map(s=>[s.id, get(s,'word-order').match(/log-lift (-?[\d.]+)/)?.[1]]).sort((a,b)=>+b[1]-+a[1]).slice(0,6);
console.log(sa);
