#include "remote.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gale/host/address.h"

namespace gale::cli {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string &path, const char *flag) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", flag, " ", path, ": ", std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().find("-----BEGIN") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " ", path, " is not a PEM file"));
  }
  return text.str();
}

}  // namespace

absl::StatusOr<ChannelSecurity> LoadChannelSecurity(const std::string &token_flag,
                                                    const std::string &ca_file,
                                                    const std::string &cert_file,
                                                    const std::string &key_file,
                                                    const host::EnvLookup &env) {
  ChannelSecurity security;
  security.token = token_flag;
  if (security.token.empty()) {
    if (const char *from_env = env("GALE_TOKEN"); from_env != nullptr) {
      security.token = from_env;
    }
  }
  for (char c : security.token) {
    if (c < 0x21 || c > 0x7e) {
      return absl::InvalidArgumentError(
          "the token (--token or GALE_TOKEN) has a space or a character other than visible ASCII");
    }
  }
  if (!ca_file.empty()) {
    absl::StatusOr<std::string> ca = ReadFile(ca_file, "--ca");
    if (!ca.ok())
      return ca.status();
    security.ca_pem = std::move(*ca);
  }
  if (cert_file.empty() != key_file.empty()) {
    return absl::InvalidArgumentError(
        "a client certificate needs both --client-cert FILE and --client-key FILE");
  }
  if (!cert_file.empty()) {
    absl::StatusOr<std::string> cert = ReadFile(cert_file, "--client-cert");
    if (!cert.ok())
      return cert.status();
    absl::StatusOr<std::string> key = ReadFile(key_file, "--client-key");
    if (!key.ok())
      return key.status();
    security.cert_pem = std::move(*cert);
    security.key_pem = std::move(*key);
  }
  return security;
}

std::shared_ptr<grpc::ChannelCredentials> CredentialsFor(const std::string &address,
                                                         const ChannelSecurity &security,
                                                         std::string *target) {
  const std::optional<host::TcpAddress> tcp = host::ParseTcpAddress(address);
  if (!tcp) {
    *target = address;
    return grpc::InsecureChannelCredentials();
  }
  *target = tcp->target;
  const bool tls = !security.ca_pem.empty() || !security.cert_pem.empty() || !tcp->loopback;
  if (!tls) {
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = security.ca_pem;
  ssl.pem_private_key = security.key_pem;
  ssl.pem_cert_chain = security.cert_pem;
  return grpc::SslCredentials(ssl);
}

}  // namespace gale::cli
