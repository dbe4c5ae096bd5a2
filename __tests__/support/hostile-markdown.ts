/** Hostile strings for the renderers' tests, and the check that rendered markdown holds nothing live. */
/** Strings an attacker controls: image names, file names, platforms, registry error text, titles. */
export const HOSTILE = [
  '@org/team please look',
  '![x](http://evil.example/p.png)',
  '<img src=x onerror=alert(1)>',
  '[click](https://evil.example)',
  'www.evil.example and https://evil.example/x',
  'fixes #1 and org/repo#2',
  'a`b``c',
  'cell | split',
  'line\nbreak\r\n## heading',
  '**bold** _it_ ~~del~~ $x$',
  '</details><details open>',
  '&lt;script&gt;',
];

/** True when rendered markdown holds nothing GitHub would turn into a mention, link, image or tag. */
export function isInert(markdown: string): boolean {
  const outsideCode = markdown.replace(/(`+)[^`]*?\1/g, '');
  return (
    !/@[A-Za-z0-9]/.test(outsideCode) &&
    !/<[A-Za-z/!]/.test(outsideCode) &&
    !/(^|[^\\])\]\(/.test(outsideCode) &&
    !/(^|[^\\])!\[/.test(outsideCode) &&
    !/https?:\/\//.test(outsideCode) &&
    !/www\./.test(outsideCode) &&
    !/(^|[^\\&])#\d/.test(outsideCode)
  );
}
