import {rm} from 'node:fs/promises'
import {segmentScene, depthScene, writeSampleImage, scoreSynthetic} from './dist/test/helpers/synthetic-eval.js'
import {EvalImagesSink} from './dist/src/html/eval/images-sink.js'
import {writeEvalSite} from './dist/src/html/eval/eval-page.js'
import {ADE20K_CLASSES, ADE20K_PALETTE} from './dist/src/pipeline/segment/ade20k.js'
import {ADE_PROTOCOL, NYU_PROTOCOL} from './dist/test/helpers/synthetic-eval.js'
const root = '/tmp/try'
await rm(root, {recursive: true, force: true})
const ids = Array.from({length: 60}, (_, i) => i + 1)
for (const id of ids) await writeSampleImage(root + '/data', segmentScene(id, 96, 72))
const sink = new EvalImagesSink({siteDir: root + '/seg', protocol: ADE_PROTOCOL, count: 3, classNames: ADE20K_CLASSES, palette: ADE20K_PALETTE})
let t = performance.now()
const run = await scoreSynthetic('segment', ids, (s) => segmentScene(s, 96, 72), root + '/data', (im) => sink.offer(im))
await sink.finish(run.report)
console.log('seg', performance.now() - t, run.ms, sink.writes)
t = performance.now()
await writeEvalSite(root + '/seg', {report: run.report})
console.log('page', performance.now() - t)
for (const id of ids) await writeSampleImage(root + '/ddata', depthScene(id, 64, 48))
const dsink = new EvalImagesSink({siteDir: root + '/depth', protocol: NYU_PROTOCOL, count: 3})
const drun = await scoreSynthetic('depth', ids, (s) => depthScene(s, 64, 48), root + '/ddata', (im) => dsink.offer(im))
await dsink.finish(drun.report)
await writeEvalSite(root + '/depth', {report: drun.report})
console.log('depth done', dsink.writes)
