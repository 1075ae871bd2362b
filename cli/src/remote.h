// Reaching galed over TCP: channel credentials (TLS or plain loopback) and the bearer token.
//
//   unix:PATH / a path      no credentials (the socket's file permissions authenticate)
//   tcp://HOST:PORT         TLS with --ca FILE as the root; without --ca, TLS with the system's
//                           roots, except on loopback (127.0.0.0/8, ::1, localhost): plain TCP
//   --client-cert/--client-key   a client certificate for mutual TLS
//   --token T, else $GALE_TOKEN  sent as `authorization: Bearer T` on every call
#pragma once

#include <grpcpp/security/credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gale/host/paths.h"

namespace gale::cli {

struct ChannelSecurity {
  std::string token;     ///< bearer token; empty: none sent
  std::string ca_pem;    ///< TLS roots; empty: the system's (or plain TCP on loopback)
  std::string cert_pem;  ///< client certificate chain (mutual TLS)
  std::string key_pem;   ///< its key
};

/// Reads --ca, --client-cert, --client-key and takes the token from `token_flag`, else
/// GALE_TOKEN. Errors name the file or flag and what to do.
absl::StatusOr<ChannelSecurity> LoadChannelSecurity(const std::string &token_flag,
                                                    const std::string &ca_file,
                                                    const std::string &cert_file,
                                                    const std::string &key_file,
                                                    const host::EnvLookup &env = host::RealEnv);

/// The gRPC target and credentials for `address` (see the table above). A tcp:// address that
/// does not parse is passed through, and gRPC reports it.
std::shared_ptr<grpc::ChannelCredentials> CredentialsFor(const std::string &address,
                                                         const ChannelSecurity &security,
                                                         std::string *target);

}  // namespace gale::cli
