import { Box } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';

interface Props {
  html: string;
  title: string;
  /** Height of the visible box in CSS pixels. */
  height: number;
  /** Width the email is laid out at; the frame is scaled down to fit the box. */
  layoutWidth?: number;
  testId?: string;
}

/**
 * An email shown as recipients see it, in a frame with an empty sandbox: no scripts, no forms, no
 * navigation of the app. The email is laid out at `layoutWidth` and scaled to the box, so a
 * thumbnail looks like the real thing in small.
 */
export function EmailFrame({ html, title, height, layoutWidth = 640, testId }: Props) {
  const { ref, width } = useElementSize();
  const scale = width > 0 ? Math.min(1, width / layoutWidth) : 1;
  return (
    <Box ref={ref} h={height} style={{ overflow: 'hidden', position: 'relative', background: 'var(--mantine-color-gray-0)' }}>
      <iframe
        title={title}
        sandbox=""
        srcDoc={html}
        data-testid={testId}
        style={{
          border: 0,
          width: layoutWidth,
          height: height / scale,
          transform: `scale(${scale})`,
          transformOrigin: 'top left',
          background: 'white',
          visibility: width > 0 ? 'visible' : 'hidden',
        }}
      />
    </Box>
  );
}
