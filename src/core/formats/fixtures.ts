/**
 * Writes one small file per format into a folder, made by the project's own writers: for host and UI
 * tests, demos and manual checks (`tiny-int8-cnn.tflite`, `tiny-llama.gguf`, `tiny-llama/model.safetensors`
 * with its `config.json`, and `llama-2-7b/config.json`). Returns the paths written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeGguf } from './gguf/writer';
import { tinyLlamaGgufSpec } from './gguf/tinyLlama';
import { tinyHfLlama } from './safetensors/tinyLlama';
import { writeSafetensors } from './safetensors/writer';
import { tinyInt8CnnSpec } from './tflite/tinyCnn';
import { writeTflite } from './tflite/writer';

/** The published Llama-2-7B config.json fields that size it (6,738,415,616 parameters). */
export const LLAMA_2_7B_CONFIG = {
  architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 4096, intermediate_size: 11008,
  max_position_embeddings: 4096, num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 32,
  rms_norm_eps: 1e-5, tie_word_embeddings: false, torch_dtype: 'float16', vocab_size: 32000,
} as const;

export function writeFormatFixtures(dir: string): string[] {
  const written: string[] = [];
  const put = (relative: string, bytes: Uint8Array | string): void => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    written.push(file);
  };
  put('tiny-int8-cnn.tflite', writeTflite(tinyInt8CnnSpec()));
  put('tiny-llama.gguf', writeGguf(tinyLlamaGgufSpec()));
  const hf = tinyHfLlama();
  put('tiny-llama/model.safetensors', writeSafetensors(hf.tensors, { format: 'pt' }));
  put('tiny-llama/config.json', `${JSON.stringify(hf.config, null, 2)}\n`);
  put('llama-2-7b/config.json', `${JSON.stringify(LLAMA_2_7B_CONFIG, null, 2)}\n`);
  return written;
}
