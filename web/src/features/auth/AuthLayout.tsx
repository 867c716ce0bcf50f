import type { ReactNode } from 'react';

export function AuthLayout({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle: string;
  children: ReactNode;
  footer: ReactNode;
}) {
  return (
    <main className="auth">
      <section className="auth__panel" aria-labelledby="auth-title">
        <div className="brand brand--large" aria-hidden="true">
          <span className="brand__mark">D</span>
          <span className="brand__name">DataMorph</span>
        </div>
        <h1 id="auth-title" className="auth__title">
          {title}
        </h1>
        <p className="auth__subtitle">{subtitle}</p>
        {children}
        <p className="auth__footer">{footer}</p>
      </section>
      <aside className="auth__aside" aria-hidden="true">
        <div className="auth__pitch">
          <p className="auth__pitch-title">Drop any file. Get clean, profiled data.</p>
          <ul>
            <li>CSV, Excel, JSON, Parquet</li>
            <li>Profiles and quality scores for every column</li>
            <li>SQL over millions of rows, right in the browser</li>
          </ul>
        </div>
      </aside>
    </main>
  );
}
