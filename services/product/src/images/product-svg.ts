// Generated product pictures: a deterministic SVG per product (colours from its slug, an
// icon for its category, its name), so the catalog has images without remote URLs or files.
import { createHash } from 'node:crypto';

export interface ImageSubject {
  slug: string;
  name: string;
  category: string;
}

const SIZE = 480;

// Simple line icons drawn in a 120×120 box, one per seed category.
const ICONS: Record<string, string> = {
  audio:
    '<path d="M20 80V60a40 40 0 0 1 80 0v20"/><rect x="12" y="70" width="22" height="38" rx="8"/><rect x="86" y="70" width="22" height="38" rx="8"/>',
  computing: '<rect x="10" y="16" width="100" height="66" rx="6"/><path d="M44 104h32M60 82v22"/>',
  'phones-wearables': '<rect x="34" y="6" width="52" height="108" rx="10"/><path d="M52 96h16"/>',
  'home-kitchen':
    '<path d="M12 58 60 16l48 42"/><path d="M24 48v60h72V48"/><rect x="50" y="74" width="20" height="34"/>',
  'sports-outdoors': '<path d="M6 104 46 34l22 34 14-20 32 56z"/><circle cx="92" cy="24" r="10"/>',
  books:
    '<path d="M60 28c-14-10-34-12-50-8v80c16-4 36-2 50 8 14-10 34-12 50-8V20c-16-4-36-2-50 8zM60 28v80"/>',
  'toys-games':
    '<rect x="16" y="16" width="88" height="88" rx="14"/><circle cx="40" cy="40" r="6"/><circle cx="60" cy="60" r="6"/><circle cx="80" cy="80" r="6"/>',
  clothing: '<path d="M40 12 14 28l10 22 12-6v64h48V44l12 6 10-22-26-16c-4 10-12 14-20 14S44 22 40 12z"/>',
};
const DEFAULT_ICON = '<circle cx="60" cy="60" r="44"/><path d="M60 36v48M36 60h48"/>';

/** The SVG document for a product; the same subject always renders the same bytes. */
export function renderProductSvg(subject: ImageSubject): string {
  const hash = createHash('sha256').update(subject.slug).digest();
  const hue = Math.round((hash.readUInt16BE(0) / 0xffff) * 360);
  const hue2 = (hue + 40 + (hash[2]! % 60)) % 360;
  const icon = ICONS[subject.category] ?? DEFAULT_ICON;
  const lines = wrap(subject.name, 22, 3);
  const firstLineY = 330 - (lines.length - 1) * 17;
  const text = lines
    .map((line, i) => `<text x="240" y="${firstLineY + i * 34}">${escapeXml(line)}</text>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}" role="img" aria-label="${escapeXml(subject.name)}">`,
    '<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">',
    `<stop offset="0" stop-color="hsl(${hue} 70% 92%)"/><stop offset="1" stop-color="hsl(${hue2} 60% 78%)"/>`,
    '</linearGradient></defs>',
    `<rect width="${SIZE}" height="${SIZE}" fill="url(#bg)"/>`,
    `<g transform="translate(180 90)" fill="none" stroke="hsl(${hue} 45% 28%)" stroke-width="6" stroke-linecap="round" stroke-linejoin="round">${icon}</g>`,
    `<g font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="28" font-weight="600" fill="hsl(${hue} 45% 18%)" text-anchor="middle">${text}</g>`,
    `<text x="240" y="440" font-family="system-ui, sans-serif" font-size="16" fill="hsl(${hue} 30% 30%)" text-anchor="middle" letter-spacing="3">${escapeXml(subject.category.toUpperCase())}</text>`,
    '</svg>',
  ].join('');
}

/** Greedy word wrap; the last allowed line ends in an ellipsis when text remains. */
function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (candidate.length <= width || current === '') {
      current = candidate.length > width ? `${candidate.slice(0, width - 1)}…` : candidate;
    } else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, width - 1)}…`;
  return kept;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
