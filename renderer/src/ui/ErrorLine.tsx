// The red line under a form or a pane that says what went wrong. It renders nothing when there is no
// message, so a view writes `<ErrorLine>{error}</ErrorLine>` instead of its own `error ? <Text…> : null`.
// role="alert" makes screen readers announce it (and lets tests find it by role).
import { Text, type TextProps } from '@mantine/core';
import type { ReactNode } from 'react';

export function ErrorLine({ children, size = 'xs', ...rest }: Omit<TextProps, 'c'> & { children: ReactNode }) {
  if (children === null || children === undefined || children === false || children === '') return null;
  return (
    <Text size={size} c="red" role="alert" {...rest}>
      {children}
    </Text>
  );
}
