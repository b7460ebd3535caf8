// The end-to-end tier's timeout per test and hook (real server processes start in them). Set here
// because Jest reads `testTimeout` from the root config only, not from a project.
/* global jest */
jest.setTimeout(60_000);
