#include "catalog/processor.h"

namespace idp::catalog {

ProcessingError MakeError(std::string name, std::string message) {
  return ProcessingError{std::move(name), std::move(message), std::nullopt, std::nullopt};
}

ProcessingError WrapError(std::string name, std::string message, const Thrown& cause) {
  ProcessingError e;
  e.name = std::move(name);
  e.message = std::move(message) + "; caused by " + cause.name + ": " + cause.message;
  e.cause_name = cause.name;
  e.cause_message = cause.message;
  return e;
}

}  // namespace idp::catalog
