// What an idp_catalog handle holds, for the C ABI files that reach into it
// (capi_catalog.cpp, capi_scaffolder.cpp for catalog:* actions).
#pragma once

#include "catalog/catalog.h"

struct idp_catalog {
  idp::catalog::Catalog catalog;
};
