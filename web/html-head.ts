import type { HtmlTagDescriptor, Plugin } from 'vite';

// The head both entries share (index.html for staff, public.html for citizens): character set,
// viewport, colours, description, icons and the web app manifest. Each entry keeps its own title
// and script; these tags go first, so the character set stays within the first 1024 bytes.
const meta = (attrs: Record<string, string>): HtmlTagDescriptor => ({ tag: 'meta', attrs, injectTo: 'head-prepend' });
const link = (attrs: Record<string, string>): HtmlTagDescriptor => ({ tag: 'link', attrs, injectTo: 'head-prepend' });

export function sharedHead(): Plugin {
  return {
    name: 'thanthien-shared-head',
    transformIndexHtml: () => [
      meta({ charset: 'UTF-8' }),
      meta({ name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      meta({ name: 'theme-color', content: '#0b4f8a' }),
      meta({ name: 'description', content: 'Thân Thiện — Chính quyền thân thiện, vì Nhân dân phục vụ' }),
      link({ rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' }),
      link({ rel: 'manifest', href: '/manifest.webmanifest' }),
      link({ rel: 'apple-touch-icon', href: '/icons/apple-touch-icon.png' }),
    ],
  };
}
