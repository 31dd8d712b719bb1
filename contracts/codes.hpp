// The catalogue's codes as named constants, so code that sets one cannot misspell it: a test
// (tests/unit/contracts/test_catalogue.cpp) holds every constant here against catalogue.json,
// with the kind each must have there.
#pragma once

namespace contracts::codes {

// Classifications: what a diagnose run or a replayed scenario ends with.
inline constexpr const char* kOk = "OK";
inline constexpr const char* kConfigError = "CONFIG_ERROR";
inline constexpr const char* kAuthFailed = "AUTH_FAILED";
inline constexpr const char* kInsufficientPermissions = "INSUFFICIENT_PERMISSIONS";
inline constexpr const char* kConversationNotFound = "CONVERSATION_NOT_FOUND";
inline constexpr const char* kConversationAlreadyWrappedUp = "CONVERSATION_ALREADY_WRAPPED_UP";
inline constexpr const char* kInvalidTransferTarget = "INVALID_TRANSFER_TARGET";
inline constexpr const char* kParticipantNotTransferable = "PARTICIPANT_NOT_TRANSFERABLE";
inline constexpr const char* kWrapupCodeNotFound = "WRAPUP_CODE_NOT_FOUND";
inline constexpr const char* kPayloadSchemaMismatch = "PAYLOAD_SCHEMA_MISMATCH";
inline constexpr const char* kRateLimited = "RATE_LIMITED";
inline constexpr const char* kServerError = "SERVER_ERROR";
inline constexpr const char* kNetworkError = "NETWORK_ERROR";
inline constexpr const char* kMalformedResponse = "MALFORMED_RESPONSE";
inline constexpr const char* kUnclassified = "UNCLASSIFIED";

inline constexpr const char* kClassifications[] = {
    kOk,
    kConfigError,
    kAuthFailed,
    kInsufficientPermissions,
    kConversationNotFound,
    kConversationAlreadyWrappedUp,
    kInvalidTransferTarget,
    kParticipantNotTransferable,
    kWrapupCodeNotFound,
    kPayloadSchemaMismatch,
    kRateLimited,
    kServerError,
    kNetworkError,
    kMalformedResponse,
    kUnclassified,
};

}  // namespace contracts::codes
