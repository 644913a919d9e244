import type {ValueRange} from '../../kernels/depth-scale.js'
import type {DepthPrediction} from '../postprocess/depth.js'
import type {Sample} from '../sample.js'
import type {Sink, SinkItem} from '../sink.js'

/** Each image's finite min and max of the model values, kept for its --json record; writes nothing. */
export class ValueRangeSink<S extends Sample> implements Sink<S, DepthPrediction> {
  private readonly ranges = new Map<string, ValueRange>()

  consume({sample, prediction}: SinkItem<S, DepthPrediction>): Promise<string[]> {
    const {min, max} = prediction.imageRange ?? prediction.range
    this.ranges.set(sample.id, {min, max})
    return Promise.resolve([])
  }

  of(sample: S): ValueRange | undefined {
    return this.ranges.get(sample.id)
  }
}
