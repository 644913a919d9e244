import {readFile} from 'node:fs/promises'
import {decodeImage} from '../decode.js'
import {DptError, ExitCode} from '../errors.js'
import {display} from '../paths.js'
import type {ImageSample} from '../sample.js'
import type {RunSettings} from '../settings.js'
import {discover, type InputFile} from './discover.js'
import {describeInputs} from './inputs.js'

/** An image file: its path, read whole, decoded by sharp (decode.ts). */
export interface FileSample extends ImageSample {
  /** Absolute. */
  readonly path: string
}

/** A file as a sample: id = its path below the base (--base, or the common base of the inputs), outputs mirror it below the output folder. */
export function fileSample(file: InputFile, cwd: string, maxPixels: number): FileSample {
  return {
    kind: 'image',
    id: file.relPath,
    label: display(cwd, file.path),
    outStem: file.outStem,
    path: file.path,
    read: () => readFile(file.path),
    decode: (data) => decodeImage(file.path, data, maxPixels),
  }
}

/**
 * The file-tree source of dpt depth / segment / bench: files, folders (recursive), globs and lists of paths, sorted,
 * sharded, the output folder never read as input. Whether a file is an image is decided when it is decoded.
 * Symlink cycles and unreadable folders come back as warnings.
 */
export async function fileSamples(settings: RunSettings): Promise<{samples: FileSample[]; warnings: string[]}> {
  const {files, warnings} = await discover(settings.inputs, settings.cwd, {exclude: settings.outDir, shard: settings.shard})
  if (files.length === 0) {
    throw new DptError(
      `No files found in ${describeInputs(settings.inputs)}${settings.shard ? ` (shard ${settings.shard.index}/${settings.shard.count})` : ''}`,
      {
        exitCode: ExitCode.noInputs,
        remedy: 'Check the paths and glob patterns (quote globs so the shell leaves them to dpt).',
      },
    )
  }
  return {samples: files.map((file) => fileSample(file, settings.cwd, settings.maxPixels)), warnings}
}
