/** config.json excerpts of published models (fields as on the Hugging Face Hub) with their parameter counts. */
export const PUBLISHED: readonly { name: string; params: number; json: Record<string, unknown> }[] = [
  {
    name: 'Llama-2-7B', params: 6_738_415_616,
    json: { model_type: 'llama', hidden_size: 4096, intermediate_size: 11008, num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 32, vocab_size: 32000, max_position_embeddings: 4096, tie_word_embeddings: false, torch_dtype: 'float16' },
  },
  {
    name: 'Llama-3-8B', params: 8_030_261_248,
    json: { model_type: 'llama', hidden_size: 4096, intermediate_size: 14336, num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 8, vocab_size: 128256, max_position_embeddings: 8192, tie_word_embeddings: false, torch_dtype: 'bfloat16' },
  },
  {
    name: 'Mistral-7B', params: 7_241_732_096,
    json: { model_type: 'mistral', hidden_size: 4096, intermediate_size: 14336, num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 8, vocab_size: 32000, max_position_embeddings: 32768, tie_word_embeddings: false },
  },
  {
    name: 'Mixtral-8x7B', params: 46_702_792_704,
    json: { model_type: 'mixtral', hidden_size: 4096, intermediate_size: 14336, num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 8, vocab_size: 32000, num_local_experts: 8, num_experts_per_tok: 2, tie_word_embeddings: false },
  },
  {
    name: 'Qwen2-0.5B', params: 494_032_768,
    json: { model_type: 'qwen2', hidden_size: 896, intermediate_size: 4864, num_attention_heads: 14, num_hidden_layers: 24, num_key_value_heads: 2, vocab_size: 151936, max_position_embeddings: 131072, tie_word_embeddings: true },
  },
  {
    name: 'Gemma-2B', params: 2_506_172_416,
    json: { model_type: 'gemma', hidden_size: 2048, intermediate_size: 16384, num_attention_heads: 8, num_hidden_layers: 18, num_key_value_heads: 1, head_dim: 256, vocab_size: 256000, max_position_embeddings: 8192 },
  },
  {
    name: 'Phi-3-mini', params: 3_821_079_552,
    json: { model_type: 'phi3', hidden_size: 3072, intermediate_size: 8192, num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 32, vocab_size: 32064, max_position_embeddings: 4096, tie_word_embeddings: false },
  },
  {
    name: 'Qwen3-0.6B (q/k norms, head_dim 128)', params: 596_049_920,
    json: { model_type: 'qwen3', hidden_size: 1024, intermediate_size: 3072, num_attention_heads: 16, num_hidden_layers: 28, num_key_value_heads: 8, head_dim: 128, vocab_size: 151936, max_position_embeddings: 40960, tie_word_embeddings: true },
  },
  {
    name: 'GPT-2 small', params: 124_439_808,
    json: { model_type: 'gpt2', n_layer: 12, n_embd: 768, n_head: 12, n_inner: null, n_positions: 1024, n_ctx: 1024, vocab_size: 50257 },
  },
  {
    name: 'Pythia-160M (GPT-NeoX)', params: 162_322_944,
    json: { model_type: 'gpt_neox', hidden_size: 768, intermediate_size: 3072, num_attention_heads: 12, num_hidden_layers: 12, vocab_size: 50304, max_position_embeddings: 2048, tie_word_embeddings: false },
  },
  {
    name: 'Phi-2', params: 2_779_683_840,
    json: { model_type: 'phi', hidden_size: 2560, intermediate_size: 10240, num_attention_heads: 32, num_hidden_layers: 32, vocab_size: 51200, max_position_embeddings: 2048, tie_word_embeddings: false },
  },
];
