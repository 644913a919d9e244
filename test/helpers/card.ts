import type {ModelCard} from '../../src/model/card.js'

/** A valid isl-org-style depth card (DPT 384, keep aspect, ×32, cv2 cubic) for model tests. */
export const depthCard: ModelCard = {
  schema: 'dpt-model-card/1',
  name: 'test',
  task: 'depth',
  input: {name: 'pixel_values'},
  output: {name: 'predicted_depth'},
  preprocess: {height: 384, width: 384, keepAspect: true, rule: 'minimal', multiple: 32, resize: 'cv2-cubic', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5]},
  upsample: 'bicubic',
  semantics: 'relative-inverse-depth',
}
