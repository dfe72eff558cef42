// mmcheck's version, as `mmcheck --version` prints it and trace files record it. A constant,
// not a read of package.json at run time: the bundled CLI (scripts/bundle.ts) runs from
// dist/bundle/, where no relative path to package.json is stable. A test keeps it equal to
// package.json's version.
export const VERSION = '0.1.0';
