/**
 * Base URLs of well-known OpenAI-compatible endpoints, so a config can say `preset: groq`
 * instead of remembering each vendor's path. `vendor` names who runs it, so two names for
 * one company can be recognised as one failure domain.
 */
export interface Preset {
  readonly baseURL: string;
  readonly vendor: string;
  /** The environment variable people usually keep this vendor's key in (for hints). */
  readonly keyEnv?: string;
}

export const presets: Readonly<Record<string, Preset>> = {
  openai: { baseURL: 'https://api.openai.com/v1', vendor: 'openai', keyEnv: 'OPENAI_API_KEY' },
  anthropic: { baseURL: 'https://api.anthropic.com/v1', vendor: 'anthropic', keyEnv: 'ANTHROPIC_API_KEY' },
  gemini: {
    baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai',
    vendor: 'google',
    keyEnv: 'GEMINI_API_KEY',
  },
  groq: { baseURL: 'https://api.groq.com/openai/v1', vendor: 'groq', keyEnv: 'GROQ_API_KEY' },
  mistral: { baseURL: 'https://api.mistral.ai/v1', vendor: 'mistral', keyEnv: 'MISTRAL_API_KEY' },
  together: { baseURL: 'https://api.together.xyz/v1', vendor: 'together', keyEnv: 'TOGETHER_API_KEY' },
  openrouter: { baseURL: 'https://openrouter.ai/api/v1', vendor: 'openrouter', keyEnv: 'OPENROUTER_API_KEY' },
  deepseek: { baseURL: 'https://api.deepseek.com/v1', vendor: 'deepseek', keyEnv: 'DEEPSEEK_API_KEY' },
  fireworks: { baseURL: 'https://api.fireworks.ai/inference/v1', vendor: 'fireworks', keyEnv: 'FIREWORKS_API_KEY' },
  ollama: { baseURL: 'http://127.0.0.1:11434/v1', vendor: 'ollama' },
};

export const presetNames = Object.keys(presets);
