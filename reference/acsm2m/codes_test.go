package acsm2m

import (
	"net/http"
	"testing"
)

func TestEachStatusCarriesTheGRPCCodeGatewayMapsToIt(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		want   int32
	}{
		{"400 carries INVALID_ARGUMENT (3)", http.StatusBadRequest, 3},
		{"401 carries UNAUTHENTICATED (16)", http.StatusUnauthorized, 16},
		{"404 carries NOT_FOUND (5)", http.StatusNotFound, 5},
		{"501 carries UNIMPLEMENTED (12)", http.StatusNotImplemented, 12},
		{"409 carries ALREADY_EXISTS (6)", http.StatusConflict, 6},
		{"413 carries RESOURCE_EXHAUSTED (8)", http.StatusRequestEntityTooLarge, 8},
		{"415 carries INVALID_ARGUMENT (3)", http.StatusUnsupportedMediaType, 3},
		{"500 carries INTERNAL (13)", http.StatusInternalServerError, 13},
		{"a status this server never sends carries UNKNOWN (2)", http.StatusTeapot, 2},
		{"405, which grpc-gateway never sends, carries UNKNOWN (2)", http.StatusMethodNotAllowed, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := grpcCodeFor(tc.status); got != tc.want {
				t.Errorf("grpcCodeFor(%d) = %d, want %d", tc.status, got, tc.want)
			}
		})
	}
}
