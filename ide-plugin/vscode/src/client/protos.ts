// Loads the gale.v1 API from the .proto files: the copy inside the package (made by
// scripts/copy-protos.js), else the repository's proto/ folder when run from a checkout.
import * as fs from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const kFiles = [
  'boards', 'builds', 'common', 'config', 'console', 'devices', 'flash', 'jobs', 'logs', 'rtt',
  'sdk', 'shell', 'tests',
].map((name) => `gale/v1/${name}.proto`);

export function protoRoot(): string {
  // out/src/client -> package root, and the repository's proto/ three levels up from it.
  const packageRoot = path.resolve(__dirname, '..', '..', '..');
  const candidates = [path.join(packageRoot, 'proto'), path.resolve(packageRoot, '..', '..', 'proto')];
  for (const candidate of candidates) {
    if (fs.existsSync(path.join(candidate, 'gale', 'v1', 'common.proto'))) {
      return candidate;
    }
  }
  throw new Error(`the gale.v1 .proto files are missing (looked in ${candidates.join(', ')}); run npm run compile`);
}

let cached: grpc.GrpcObject | undefined;

/// The `gale.v1` package: service constructors and message types.
export function galeV1(): grpc.GrpcObject {
  if (!cached) {
    const root = protoRoot();
    const definition = protoLoader.loadSync(
      kFiles.filter((f) => fs.existsSync(path.join(root, f))),
      {
        includeDirs: [root],
        keepCase: true,
        longs: Number,
        enums: String,
        defaults: true,
        oneofs: true,
      },
    );
    const loaded = grpc.loadPackageDefinition(definition);
    cached = (loaded.gale as grpc.GrpcObject).v1 as grpc.GrpcObject;
  }
  return cached;
}
