import { TransformerAlphaModel } from "../../lib/signals/transformer.js";
import { Panel } from "../../lib/data/panel.js";
const n = 50, T = 200;
const cols = Array.from({length:n}, (_, j) => { const c = new Float64Array(T); let p=100; for (let t=0;t<T;t++){ p*=1+0.01*Math.sin(t*0.7+j)+0.001*j; c[t]=p;} return c;});
const dates = Int32Array.from({length:T},(_,i)=>14000+i);
const panel = new Panel(dates, cols.map((_,j)=>"A"+j), cols);
const m = new TransformerAlphaModel({ sequenceLength: 60, hiddenDim: 16, attentionHeads: 2, epochs: 1, maxTrainSamples: 64, batchSize: 64 });
let t0 = performance.now();
await m.fit(panel);
console.log("fit ms", performance.now()-t0);
const seq = new Float32Array(500*60).map(()=>Math.random());
for (let k=0;k<5;k++) await m.predictSequences(seq, 500);
const ts:number[]=[];
for (let k=0;k<20;k++){ t0=performance.now(); await m.predictSequences(seq,500); ts.push(performance.now()-t0);}
ts.sort((a,b)=>a-b); console.log("median ms", ts[10]);
const tf = await import("@tensorflow/tfjs"); console.log(tf.getBackend());
const tff = await import("@tensorflow/tfjs");
const x = tff.tensor3d(seq, [500, 60, 1]);
const net = m.network!;
for (let k=0;k<3;k++) (net.predict(x,{batchSize:500}) as any).dispose();
const prof = await tff.profile(() => { const y = net.predict(x,{batchSize:500}) as any; y.dataSync(); return y; });
const agg: Record<string, number> = {};
for (const k of prof.kernels) agg[k.name] = (agg[k.name] ?? 0) + (k.kernelTimeMs as number);
console.log(Object.entries(agg).sort((a,b)=>b[1]-a[1]).slice(0,15));
for (const k of prof.kernels) if (k.name==="Tile"||k.name==="Slice"||k.name==="BatchMatMul") console.log(k.name, k.inputShapes, k.kernelTimeMs);
{
const tss:number[]=[];
for (let k=0;k<30;k++){ const t0=performance.now(); const y = net.predict(x,{batchSize:500}) as any; y.dataSync(); y.dispose(); tss.push(performance.now()-t0);}
tss.sort((a,b)=>a-b); console.log("raw predict median", tss[15], "min", tss[0]);
const tsa:number[]=[];
for (let k=0;k<30;k++){ const t0=performance.now(); const y = tff.tidy(()=>net.apply(x) as any); y.dataSync(); y.dispose(); tsa.push(performance.now()-t0);}
tsa.sort((a,b)=>a-b); console.log("apply median", tsa[15], "min", tsa[0]);
const tsb:number[]=[];
for (let k=0;k<30;k++){ const t0=performance.now(); await m.predictSequences(seq,500); tsb.push(performance.now()-t0);}
tsb.sort((a,b)=>a-b); console.log("predictSequences median", tsb[15], "min", tsb[0]);
}
