/**
 * Well-known OpenAI-compatible endpoints, so a config can say `preset: groq` instead of
 * remembering each vendor's path and quirks. `vendor` names who runs it, so two names for one
 * company can be recognised as one failure domain. `requests` is how the vendor wants a chat
 * request shaped, from its own documentation (the source is noted beside each); a provider's
 * own `tokenLimitField` / `dropParams` replace these.
 */
export interface Preset {
  /** Absent when every customer has their own (Azure): the config must then give `baseURL`. */
  readonly baseURL?: string;
  /** What the base URL looks like when the preset cannot fill it in. */
  readonly baseURLExample?: string;
  readonly vendor: string;
  /** The environment variable people usually keep this vendor's key in (for hints). */
  readonly keyEnv?: string;
  readonly requests?: PresetRequests;
  /**
   * How `GET /models` serves a key check, when not as OpenAI's does: `public`, it answers
   * without a key (so it proves nothing about one); `none`, there is no list the provider's
   * Bearer key can read. Either way `ping` checks the key with a 1-token completion instead.
   */
  readonly modelList?: 'public' | 'none';
}

/** The name the token limit goes under: the one a vendor documents, or rejects the other of. */
export type TokenLimitField = 'max_tokens' | 'max_completion_tokens';

/** How a vendor wants requests: see `src/providers/request-shape.ts`. */
export interface PresetRequests {
  /** Unset: sent as the caller wrote it (renamed once if the provider asks for the other name). */
  readonly tokenLimitField?: TokenLimitField;
  /** Fields the vendor documents rejecting with a 400/422, never sent (`messages[].name` reaches into each message). */
  readonly dropParams?: readonly string[];
}

export const presets: Readonly<Record<string, Preset>> = {
  // platform.openai.com/docs/api-reference/chat/create: max_tokens is deprecated and refused by reasoning models.
  openai: { baseURL: 'https://api.openai.com/v1', vendor: 'openai', keyEnv: 'OPENAI_API_KEY', requests: { tokenLimitField: 'max_completion_tokens' } },
  // learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle (the v1 API, an OpenAI client with the resource's key);
  // the model is the deployment name. Same models as OpenAI, same token-limit rule.
  azure: {
    baseURLExample: 'https://RESOURCE.openai.azure.com/openai/v1',
    vendor: 'microsoft',
    keyEnv: 'AZURE_OPENAI_API_KEY',
    requests: { tokenLimitField: 'max_completion_tokens' },
  },
  // docs.anthropic.com/en/api/openai-sdk: `n` must be exactly 1; the other OpenAI fields are accepted or ignored.
  // Its List Models (docs.anthropic.com/en/api/models-list) takes x-api-key and anthropic-version, not the Bearer
  // key of the compatibility layer, which documents no model list of its own.
  anthropic: {
    baseURL: 'https://api.anthropic.com/v1',
    vendor: 'anthropic',
    keyEnv: 'ANTHROPIC_API_KEY',
    requests: { dropParams: ['n'] },
    modelList: 'none',
  },
  // ai.google.dev/gemini-api/docs/openai: max_completion_tokens is an alias of max_tokens; a field outside its list
  // is a 400 INVALID_ARGUMENT ("Unknown name"). These four are not on it.
  gemini: {
    baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai',
    vendor: 'google',
    keyEnv: 'GEMINI_API_KEY',
    requests: { tokenLimitField: 'max_tokens', dropParams: ['logit_bias', 'metadata', 'store', 'user'] },
  },
  // console.groq.com/docs/openai: these "will result in a 400 error"; n, if given, must be 1.
  groq: {
    baseURL: 'https://api.groq.com/openai/v1',
    vendor: 'groq',
    keyEnv: 'GROQ_API_KEY',
    requests: { dropParams: ['logprobs', 'top_logprobs', 'logit_bias', 'n', 'messages[].name'] },
  },
  // docs.mistral.ai/api (chat completions): extra fields are a 422 "extra_forbidden"; its seed is `random_seed`,
  // and it knows max_tokens only.
  mistral: {
    baseURL: 'https://api.mistral.ai/v1',
    vendor: 'mistral',
    keyEnv: 'MISTRAL_API_KEY',
    requests: {
      tokenLimitField: 'max_tokens',
      dropParams: ['seed', 'user', 'logit_bias', 'logprobs', 'top_logprobs', 'stream_options', 'metadata', 'store', 'service_tier'],
    },
  },
  // docs.together.ai/reference/chat-completions: max_tokens.
  together: { baseURL: 'https://api.together.xyz/v1', vendor: 'together', keyEnv: 'TOGETHER_API_KEY', requests: { tokenLimitField: 'max_tokens' } },
  // openrouter.ai/docs/api-reference/parameters: max_tokens; unsupported fields are ignored, not refused.
  // openrouter.ai/docs/api-reference/list-available-models: the list needs no key, so it cannot check one.
  openrouter: {
    baseURL: 'https://openrouter.ai/api/v1',
    vendor: 'openrouter',
    keyEnv: 'OPENROUTER_API_KEY',
    requests: { tokenLimitField: 'max_tokens' },
    modelList: 'public',
  },
  // api-docs.deepseek.com/api/create-chat-completion: max_tokens.
  deepseek: { baseURL: 'https://api.deepseek.com/v1', vendor: 'deepseek', keyEnv: 'DEEPSEEK_API_KEY', requests: { tokenLimitField: 'max_tokens' } },
  // docs.fireworks.ai/api-reference/post-chatcompletions: max_tokens.
  fireworks: { baseURL: 'https://api.fireworks.ai/inference/v1', vendor: 'fireworks', keyEnv: 'FIREWORKS_API_KEY', requests: { tokenLimitField: 'max_tokens' } },
  // github.com/ollama/ollama/blob/main/docs/openai.md: max_tokens; unknown fields are ignored.
  ollama: { baseURL: 'http://127.0.0.1:11434/v1', vendor: 'ollama', requests: { tokenLimitField: 'max_tokens' } },
};

export const presetNames = Object.keys(presets);
