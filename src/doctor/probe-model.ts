/**
 * The smallest ONNX model a provider can run: y = Relu(x) on a float32 [1, 4] tensor, encoded here rather than
 * shipped as a file, so `dpt doctor` can create a session with every execution provider wherever dpt is
 * installed. The bytes follow onnx.proto3 (ModelProto → GraphProto → NodeProto, ValueInfoProto).
 */

/** Protobuf base-128 varint. */
function varint(value: number): number[] {
  const bytes: number[] = []
  let v = value
  while (v > 127) {
    bytes.push((v & 127) | 128)
    v = Math.floor(v / 128)
  }
  bytes.push(v)
  return bytes
}

const VARINT = 0
const BYTES = 2
const key = (field: number, wire: number): number[] => varint((field << 3) | wire)
const int = (field: number, value: number): number[] => [...key(field, VARINT), ...varint(value)]
const bytes = (field: number, content: readonly number[]): number[] => [...key(field, BYTES), ...varint(content.length), ...content]
const text = (field: number, value: string): number[] => bytes(field, [...Buffer.from(value, 'utf8')])

const FLOAT = 1

/** ValueInfoProto of a float32 tensor with fixed dims. */
function tensorInfo(name: string, dims: readonly number[]): number[] {
  const shape = dims.flatMap((d) => bytes(1, int(1, d)))
  const tensorType = [...int(1, FLOAT), ...bytes(2, shape)]
  return [...text(1, name), ...bytes(2, bytes(1, tensorType))]
}

export const PROBE_INPUT = 'x'
export const PROBE_OUTPUT = 'y'
export const PROBE_DIMS = [1, 4] as const

/** The probe model's bytes (IR version 8, opset 13). */
export function probeModel(): Uint8Array {
  const node = [...text(1, PROBE_INPUT), ...text(2, PROBE_OUTPUT), ...text(4, 'Relu')]
  const graph = [
    ...bytes(1, node),
    ...text(2, 'dpt-doctor-probe'),
    ...bytes(11, tensorInfo(PROBE_INPUT, PROBE_DIMS)),
    ...bytes(12, tensorInfo(PROBE_OUTPUT, PROBE_DIMS)),
  ]
  const opset = [...text(1, ''), ...int(2, 13)]
  return Uint8Array.from([...int(1, 8), ...text(2, 'dpt doctor'), ...bytes(7, graph), ...bytes(8, opset)])
}
