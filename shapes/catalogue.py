"""Every layer class that `keras.layers` exports in Keras 3.15, aliases resolved.

A spec that names one of these which the registry lacks is told the type is known
but not supported yet, rather than unknown.
"""

KERAS_LAYERS = (
    'Activation', 'ActivityRegularization', 'AdaptiveAveragePooling1D',
    'AdaptiveAveragePooling2D', 'AdaptiveAveragePooling3D', 'AdaptiveMaxPooling1D',
    'AdaptiveMaxPooling2D', 'AdaptiveMaxPooling3D', 'Add', 'AdditiveAttention',
    'AlphaDropout', 'Attention', 'AugMix', 'AutoContrast', 'Average',
    'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D', 'BatchNormalization',
    'Bidirectional', 'CategoryEncoding', 'CenterCrop', 'Concatenate',
    'ContrastLimitedAdaptiveHistogramEqualization', 'Conv1D', 'Conv1DTranspose',
    'Conv2D', 'Conv2DTranspose', 'Conv3D', 'Conv3DTranspose', 'ConvLSTM1D',
    'ConvLSTM2D', 'ConvLSTM3D', 'Cropping1D', 'Cropping2D', 'Cropping3D', 'CutMix',
    'Dense', 'DepthwiseConv1D', 'DepthwiseConv2D', 'Discretization', 'Dot', 'Dropout',
    'ELU', 'EinsumDense', 'Embedding', 'Equalization', 'Flatten', 'FlaxLayer', 'GRU',
    'GRUCell', 'GaussianDropout', 'GaussianNoise', 'GlobalAveragePooling1D',
    'GlobalAveragePooling2D', 'GlobalAveragePooling3D', 'GlobalMaxPooling1D',
    'GlobalMaxPooling2D', 'GlobalMaxPooling3D', 'GroupNormalization',
    'GroupedQueryAttention', 'HashedCrossing', 'Hashing', 'Identity', 'InputLayer',
    'IntegerLookup', 'JaxLayer', 'LSTM', 'LSTMCell', 'Lambda', 'LayerNormalization',
    'LeakyReLU', 'Masking', 'MaxNumBoundingBoxes', 'MaxPooling1D', 'MaxPooling2D',
    'MaxPooling3D', 'Maximum', 'MelSpectrogram', 'Minimum', 'MixUp',
    'MultiHeadAttention', 'Multiply', 'Normalization', 'PReLU', 'Permute',
    'RMSNormalization', 'RandAugment', 'RandomBrightness', 'RandomColorDegeneration',
    'RandomColorJitter', 'RandomContrast', 'RandomCrop', 'RandomElasticTransform',
    'RandomErasing', 'RandomFlip', 'RandomGaussianBlur', 'RandomGrayscale',
    'RandomHue', 'RandomInvert', 'RandomPerspective', 'RandomPosterization',
    'RandomRotation', 'RandomSaturation', 'RandomSharpness', 'RandomShear',
    'RandomTranslation', 'RandomZoom', 'ReLU', 'RepeatVector', 'Rescaling', 'Reshape',
    'Resizing', 'ReversibleEmbedding', 'STFTSpectrogram', 'SeparableConv1D',
    'SeparableConv2D', 'SimpleRNN', 'SimpleRNNCell', 'Softmax', 'Solarization',
    'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D',
    'SpectralNormalization', 'StackedRNNCells', 'StringLookup', 'Subtract',
    'TFSMLayer', 'TextVectorization', 'TimeDistributed', 'TorchModuleWrapper',
    'UnitNormalization', 'UpSampling1D', 'UpSampling2D', 'UpSampling3D',
    'ZeroPadding1D', 'ZeroPadding2D', 'ZeroPadding3D',
)
