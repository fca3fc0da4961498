// publish:github (Backstage's, from plugin-scaffolder-backend-module-github)
// and publish:git (idp's own: push the workspace to any git remote).
#pragma once

#include <string>
#include <vector>

#include "scaffolder/registry.h"

namespace idp::scaffolder::actions {

// One `integrations.github[]` entry of app-config.
struct GithubIntegration {
  std::string host = "github.com";
  std::string api_base_url;  // "" -> https://api.github.com for github.com, https://<host>/api/v3 otherwise
  std::string token;         // used when the step gives no `token` input
};

struct PublishOptions {
  // Hosts publish:github accepts; github.com is always present (as in
  // Backstage, whose defaults include it without a token).
  std::vector<GithubIntegration> github;
  // scaffolder.defaultAuthor.{name,email} and scaffolder.defaultCommitMessage.
  std::string default_author_name, default_author_email, default_commit_message;
};

Status RegisterPublishActions(ActionRegistry& registry, PublishOptions options = {});

}  // namespace idp::scaffolder::actions
