import { createTheme, darken, lighten, type MantineColorsTuple } from '@mantine/core';

export const DEFAULT_ACCENT = '#2f6fed';

const FONT_STACK = 'Inter, -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif';

/** Ten shades around the brand colour (shade 6 is the colour itself), as Mantine's palette expects. */
export function shadesOf(color: string): MantineColorsTuple {
  return [
    lighten(color, 0.93),
    lighten(color, 0.84),
    lighten(color, 0.7),
    lighten(color, 0.55),
    lighten(color, 0.38),
    lighten(color, 0.18),
    color,
    darken(color, 0.12),
    darken(color, 0.22),
    darken(color, 0.32),
  ];
}

/** The app wears the current brand's primary colour as its accent, so each brand feels like its own room. */
export function themeFor(accent: string = DEFAULT_ACCENT) {
  return createTheme({
    primaryColor: 'brand',
    primaryShade: 6,
    colors: { brand: shadesOf(/^#[0-9a-f]{6}$/i.test(accent) ? accent : DEFAULT_ACCENT) },
    // A pale brand colour (yellow, mint) still gets readable button text.
    autoContrast: true,
    luminanceThreshold: 0.45,
    fontFamily: FONT_STACK,
    fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    headings: { fontFamily: FONT_STACK, fontWeight: '650', sizes: { h1: { fontSize: '1.5rem', lineHeight: '1.3' }, h2: { fontSize: '1.125rem', lineHeight: '1.4' }, h3: { fontSize: '1rem', lineHeight: '1.4' } } },
    defaultRadius: 'md',
    cursorType: 'pointer',
    respectReducedMotion: true,
    components: {
      Card: { defaultProps: { withBorder: true, radius: 'md', padding: 'lg' } },
      Paper: { defaultProps: { radius: 'md' } },
      TextInput: { defaultProps: { size: 'sm' } },
      Tooltip: { defaultProps: { withArrow: true, openDelay: 300 } },
      Table: { defaultProps: { verticalSpacing: 'sm', horizontalSpacing: 'md' } },
      Modal: { defaultProps: { radius: 'md', overlayProps: { backgroundOpacity: 0.35, blur: 2 } } },
    },
  });
}
